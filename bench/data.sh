# Sourced by the bench scripts run from the project's root: the 2,000,000-line file `make bench` generates.
DATA=bench/data
LOG=$DATA/combined-2000000.log.gz
[ -s "$LOG" ] || { echo "no $LOG: run make bench once first" >&2; exit 2; }
