// Validates the prometheus-operator's custom resources (the alerts
// component's PodMonitor and PrometheusRule) against their schema, offline,
// with the npm package @kubernetes-models/prometheus-operator, which
// kubernetes-models lacks; scripts/deploy_check.sh installs it and sets
// NODE_PATH:  node validate_monitoring_objects.js OBJECTS.json REST.json
// OBJECTS.json is check_manifests.py's list of every rendered object; the
// objects that are not the operator's go to REST.json, for validate_k8s.js.
"use strict";
const fs = require("fs");

const GROUP = "monitoring.coreos.com/";
const objects = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const ours = objects.filter((o) => o.apiVersion.startsWith(GROUP));
fs.writeFileSync(process.argv[3],
                 JSON.stringify(objects.filter((o) => !ours.includes(o))));
let failures = 0;
for (const obj of ours) {
  const where = `${obj.kind}/${obj.metadata && obj.metadata.name}`;
  let Model;
  try {
    Model = require(`@kubernetes-models/prometheus-operator/${obj.apiVersion}`)[obj.kind];
  } catch (e) {
    Model = undefined;
  }
  if (typeof Model !== "function") {
    console.error(`error: ${where}: no schema for ${obj.apiVersion} ${obj.kind}`);
    failures++;
    continue;
  }
  try {
    new Model(obj).validate();
  } catch (e) {
    console.error(`error: ${where}: ${e.message}`);
    failures++;
  }
}
if (failures > 0) process.exit(1);
console.log(`valid: ${ours.length} prometheus-operator objects match their schema`);
