#!/bin/sh
# Host test with one failing point; exits 1 as a TAP producer would.
echo "1..2"
echo "ok 1 - a"
echo "not ok 2 - b"
exit 1
