// Validates Kubernetes objects against the API schema, offline, with the
// npm package kubernetes-models, and cert-manager's resources
// (components/cert-manager, components/cert-manager-ca) with
// @kubernetes-models/cert-manager (scripts/deploy_check.sh installs both and
// sets NODE_PATH):  node validate_k8s.js OBJECTS.json
// The JSON is a list of objects, as check_manifests.py --json writes it
// (the prometheus-operator's taken out by validate_monitoring_objects.js).
"use strict";
const fs = require("fs");

// The model package of each custom resources' API group.
const CUSTOM_GROUPS = {"cert-manager.io": "@kubernetes-models/cert-manager"};

const objects = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
let failures = 0;
for (const obj of objects) {
  const where = `${obj.kind}/${obj.metadata && obj.metadata.name}`;
  // Core objects ("v1") live in kubernetes-models/v1, the others under
  // their group ("apps/v1" -> kubernetes-models/apps/v1), custom resources
  // likewise in their own package.
  const group = obj.apiVersion.includes("/") ? obj.apiVersion.split("/")[0] : "";
  const models = CUSTOM_GROUPS[group] || "kubernetes-models";
  let Model;
  try {
    Model = require(`${models}/${obj.apiVersion}`)[obj.kind];
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
console.log(`valid: ${objects.length} objects match the Kubernetes schema`);
