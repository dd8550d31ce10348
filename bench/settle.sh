# Sourced by the bench scripts. The peak RSS /usr/bin/time reports counts the binary's own pages as the process
# maps them, and how many a fault maps depends on how the file entered the page cache: freshly written by the
# linker, a 167 MB binary sits in large folios that map whole (2-3 MiB more RSS for the same code, seen here).
# settle BIN drops the binary's cached pages and runs it once, so that every measured run finds them as they are
# once the page cache has let them go (a reboot, memory pressure) and a run read them back, whatever wrote the
# binary last (the build, a copy).
settle() {
    dd if="$1" iflag=nocache count=0 status=none
    "$1" --version > /dev/null
}
