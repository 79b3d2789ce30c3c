#!/usr/bin/env bash
# tests/test_summary.sh FLEETSIM SRCDIR - the text summary's account of the run (docs/reports.md "The text
# summary"): time to recover, capacity by type and market, scaling activities by cause (AZ rebalancing is
# not scale-in), alarms by the state entered, notifications, license figures, key events (an outage says
# its duration).
bin=$1 root=$2
. "$root/tests/tap.sh"
has() { grep -q -E -- "$2" "$tmp/$1.txt"; }
"$bin" run "$root/scenarios/monitored-web-app.yaml" >"$tmp/mwa.txt" 2>/dev/null
"$bin" run "$root/tests/terraform/spot-web-six-az.yaml" >"$tmp/az.txt" 2>/dev/null
"$bin" run "$root/scenarios/spot-fleet.yaml" >"$tmp/spot.txt" 2>/dev/null
"$bin" run "$root/scenarios/license-pool.yaml" >"$tmp/lp.txt" 2>/dev/null

# Time to recover: the app_unhealthy fault at 3600 s costs one violated window, then 3 met windows.
has mwa '^      3600 s  app_unhealthy web x1 +60 s \(1 window violated\)$'; check $? "recovery: app_unhealthy at 3600 s: 60 s, 1 window violated"
has az '^      3600 s  az_outage us-east-1c \(1200 s\) +SLO held$'; check $? "recovery: the zone outage names its 1200 s and the SLO held"
# report.json's recovery[] says the same as the summary, and a comparison's row is its longest (in minutes).
"$bin" run "$root/scenarios/monitored-web-app.yaml" --quiet --out "$tmp/mwa-out" >/dev/null 2>&1
python3 - "$tmp/mwa-out/report.json" <<'PY'; check $? "recovery: report.json lists app_unhealthy at 3600 s, recovered in 60 s, 1 window violated"
import json, sys
r = json.load(open(sys.argv[1]))["recovery"]
want = {"what": "app_unhealthy web x1", "start_s": 3600, "outcome": "recovered", "recovery_s": 60, "violated_windows": 1}
sys.exit(0 if want in r else 1)
PY
# Capacity: peak and average in service, instance-hours by type and market.
has mwa '^  c5\.large +On-Demand +27 +30\.329$'; check $? "capacity: 27 On-Demand c5.large, 30.329 instance-hours"
has spot '^  c5\.xlarge +Spot +[0-9]+ +[0-9.]+$'; check $? "capacity: the Spot fleet's hours are Spot"
has mwa '^  peak +11  at [0-9]+ s$' && has mwa '^  average +10\.04$'; check $? "capacity: peak 11 in service, 10.04 on average"
# Scaling activities by cause: AZ rebalancing's terminations are AZ rebalancing, not scale-in.
has az '^    AZ rebalancing +4$' && ! has az '^    scale-in '; check $? "scaling: AZ rebalancing's 4 terminations are not called scale-in"
has mwa '^    instance refresh +11$' && has mwa '^    scale-in +4$'; check $? "scaling: 11 instance-refresh and 4 scale-in terminations"
has mwa '^    alarm TargetTracking-web-AlarmHigh-cpu50 +6 +0$'; check $? "scaling: the high alarm raised desired 6 times"
# Alarms: transitions by the state entered, time in ALARM.
has mwa '^  TargetTracking-web-AlarmHigh-cpu50 +6 +6 +0 +22\.0$'; check $? "alarms: 6 into ALARM, 6 into OK, 22 minutes in ALARM"
# Notifications and licenses.
has mwa '^  scaling_events +40$' && has mwa '^notifications \(SNS publishes\): 44$'; check $? "notifications: 44 publishes, 40 to scaling_events"
has lp '^  license_key_db +5 +3 +1 +0$'; check $? "licenses: 5 keys, at most 3 in use, 1 at the end, no leak"
! has mwa '^licenses'; check $? "licenses: no section without a pool"
# Key events: the fault, the target it made unhealthy, the alarm it raised; the outage says its duration.
has mwa '3600 s  fault +app_unhealthy: i-web-11' && has mwa '3626 s  target_health i-web-11: healthy -> unhealthy' &&
    has mwa '3720 s  alarm +web-unhealthy-hosts: OK -> ALARM'; check $? "key events: fault, target unhealthy, alarm"
has az 'fault +az_outage: us-east-1c is unavailable to web_asg for 1200 s \(until 4800 s\)'; check $? "key events: the outage says its duration"
echo "1..$n"
exit $bad
