// Validates Kubernetes objects against the API schema, offline, with the
// npm package kubernetes-models (scripts/deploy_check.sh installs it and
// sets NODE_PATH):  node validate_k8s.js OBJECTS.json
// The JSON is a list of objects, as check_manifests.py --json writes it.
"use strict";
const fs = require("fs");

const objects = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
let failures = 0;
for (const obj of objects) {
  const where = `${obj.kind}/${obj.metadata && obj.metadata.name}`;
  // Core objects ("v1") live in kubernetes-models/v1, the others under
  // their group ("apps/v1" -> kubernetes-models/apps/v1).
  let Model;
  try {
    Model = require(`kubernetes-models/${obj.apiVersion}`)[obj.kind];
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
