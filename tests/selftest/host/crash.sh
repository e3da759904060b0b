#!/bin/sh
# Host test that dies on SIGSEGV after one point.
echo "1..3"
echo "ok 1 - a"
echo "AddressSanitizer: SEGV on unknown address" >&2
kill -SEGV $$
