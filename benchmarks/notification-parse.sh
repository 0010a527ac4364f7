#!/usr/bin/env bash
# Notification parsing throughput: Metering's OpenStackNotification.parse over the fixture bodies
# (oslo envelope + typed event), one thread, optimised build.
# Usage: benchmarks/notification-parse.sh [rounds]   (default 5000 rounds over all fixtures)
# Compiles Metering's parsing layer (Events, Notifications: no dependencies; the rest of the module needs
# AMQP, OpenStack and Storage) with the driver in notification-parse/ directly with swiftc -O, which takes
# seconds instead of a full release build of the package.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=$(mktemp -d)
swiftc -O -parse-as-library -o "$OUT/notification-parse" $(find Sources/Metering/Events Sources/Metering/Notifications -name '*.swift') \
  benchmarks/notification-parse/main.swift
echo "$(swift --version 2>/dev/null | head -1); $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%F)"
"$OUT/notification-parse" Tests/MeteringTests/Fixtures "${1:-5000}"
