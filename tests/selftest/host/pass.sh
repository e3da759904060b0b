#!/bin/sh
# Host test that passes: 3 points, one skipped, an indented subtest.
echo "TAP version 13"
echo "1..3"
echo "ok 1 - name allocation"
echo "    not ok 1 - indented lines are not counted"
echo "ok 2 - entry table # SKIP not on this host"
echo "ok 3 - window arithmetic"
