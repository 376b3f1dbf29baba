#!/usr/bin/env python3
"""Structural checks on rendered Kubernetes manifests (the output of `kustomize build`).

Renders nothing itself: reads the multi-document YAML in the files given (or stdin, with `-`) and
checks the conventions of k8s/README.md, which a schema validator does not:

  every object       apiVersion, kind, metadata.name, label app.kubernetes.io/part-of=logis,
                     a namespace unless cluster-scoped
  Deployment         per container: runAsNonRoot, a non-root runAsUser, readOnlyRootFilesystem,
                     allowPrivilegeEscalation false, capabilities drop ALL, seccomp RuntimeDefault
                     (container or pod level); cpu/memory requests and limits; liveness and
                     readiness probes; a writable /tmp; a pinned image tag; PORT and HOST in env. Pod: terminationGracePeriodSeconds, part-of label on the template.
  StatefulSet, ...   the "restricted" Pod Security Standard fields, resources, a readiness probe
  envFrom / Service  every referenced ConfigMap/Secret exists; every Service selects a workload
  logis-config       holds none of the per-service keys (PORT, HOST, MONGO_DB, OTEL_SERVICE_NAME)

Prints one line per object and closes with "N passed, N failed". Exit 1 on any failure.
Usage: check_manifests.py RENDERED.yaml... (PyYAML required)
"""

import sys

import yaml

PART_OF = ("app.kubernetes.io/part-of", "logis")
CLUSTER_SCOPED = {
    "Namespace",
    "ClusterRole",
    "ClusterRoleBinding",
    "CustomResourceDefinition",
    "PersistentVolume",
    "StorageClass",
    "PriorityClass",
    "IngressClass",
    "ValidatingWebhookConfiguration",
    "MutatingWebhookConfiguration",
}
PER_SERVICE_KEYS = ("PORT", "HOST", "MONGO_DB", "OTEL_SERVICE_NAME")
POD_TEMPLATE_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"}


def load(paths):
    docs = []
    for path in paths:
        stream = sys.stdin if path == "-" else open(path, encoding="utf-8")
        with stream:
            for doc in yaml.safe_load_all(stream):
                if doc is not None:
                    docs.append((path, doc))
    return docs


def effective(container, pod, key):
    """A security setting from the container, else from the pod's securityContext."""
    csc = container.get("securityContext") or {}
    if key in csc:
        return csc[key]
    return (pod.get("securityContext") or {}).get(key)


def check_security(c, pod, errors, strict_fs):
    where = f"container {c.get('name')}"
    csc = c.get("securityContext") or {}
    if effective(c, pod, "runAsNonRoot") is not True:
        errors.append(f"{where}: securityContext.runAsNonRoot must be true")
    if strict_fs:
        uid = effective(c, pod, "runAsUser")
        if not isinstance(uid, int) or uid == 0:
            errors.append(f"{where}: securityContext.runAsUser must be a non-zero uid")
        if csc.get("readOnlyRootFilesystem") is not True:
            errors.append(f"{where}: securityContext.readOnlyRootFilesystem must be true")
    if csc.get("allowPrivilegeEscalation") is not False:
        errors.append(f"{where}: securityContext.allowPrivilegeEscalation must be false")
    drop = ((csc.get("capabilities") or {}).get("drop")) or []
    if "ALL" not in drop:
        errors.append(f"{where}: securityContext.capabilities.drop must contain ALL")
    seccomp = effective(c, pod, "seccompProfile") or {}
    if seccomp.get("type") != "RuntimeDefault":
        errors.append(f"{where}: seccompProfile.type must be RuntimeDefault")


def check_resources(c, errors):
    res = c.get("resources") or {}
    for part in ("requests", "limits"):
        for r in ("cpu", "memory"):
            if not (res.get(part) or {}).get(r):
                errors.append(f"container {c.get('name')}: resources.{part}.{r} is missing")


def check_workload(obj, errors, refs):
    kind = obj["kind"]
    spec = obj.get("spec") or {}
    template = spec.get("template") or {}
    tlabels = (template.get("metadata") or {}).get("labels") or {}
    pod = template.get("spec") or {}
    if tlabels.get(PART_OF[0]) != PART_OF[1]:
        errors.append(f"pod template lacks label {PART_OF[0]}={PART_OF[1]}")
    containers = pod.get("containers") or []
    if not containers:
        errors.append("no containers")
    for c in (pod.get("initContainers") or []) + containers:
        check_security(c, pod, errors, strict_fs=(kind == "Deployment"))
        for src in c.get("envFrom") or []:
            for key, ref_kind in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
                if key in src and not src[key].get("optional"):
                    refs.append((obj, ref_kind, src[key].get("name")))
    for c in containers:
        where = f"container {c.get('name')}"
        check_resources(c, errors)
        if not c.get("readinessProbe"):
            errors.append(f"{where}: readinessProbe is missing")
        if kind != "Deployment":
            continue
        if not c.get("livenessProbe"):
            errors.append(f"{where}: livenessProbe is missing")
        image = c.get("image") or ""
        tag = image.rsplit("/", 1)[-1].partition(":")[2]
        if "@" not in image and tag in ("", "latest"):
            errors.append(f"{where}: image {image!r} has no pinned tag")
        mounts = {m.get("mountPath") for m in c.get("volumeMounts") or []}
        if "/tmp" not in mounts:
            errors.append(f"{where}: no writable volume at /tmp (the root filesystem is read-only)")
        env = {e.get("name") for e in c.get("env") or []}
        for name in ("PORT", "HOST"):
            if name not in env:
                errors.append(f"{where}: env {name} is missing (it is per service)")
    if kind == "Deployment" and "terminationGracePeriodSeconds" not in pod:
        errors.append("terminationGracePeriodSeconds is missing (the services drain on SIGTERM)")
    return tlabels


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    docs = load(argv[1:])
    results = []  # (label, errors)
    refs = []
    templates = []  # (namespace, labels)
    present = set()
    services = []

    for path, obj in docs:
        errors = []
        if not isinstance(obj, dict):
            results.append((f"{path}: non-mapping document", ["not a mapping"]))
            continue
        kind = obj.get("kind")
        meta = obj.get("metadata") or {}
        name = meta.get("name")
        for field, value in (("apiVersion", obj.get("apiVersion")), ("kind", kind), ("metadata.name", name)):
            if not value:
                errors.append(f"{field} is missing")
        labels = meta.get("labels") or {}
        if labels.get(PART_OF[0]) != PART_OF[1]:
            errors.append(f"label {PART_OF[0]}={PART_OF[1]} is missing")
        ns = meta.get("namespace")
        if kind not in CLUSTER_SCOPED and not ns:
            errors.append("metadata.namespace is missing")
        present.add((kind, ns, name))
        if kind in POD_TEMPLATE_KINDS:
            templates.append((ns, check_workload(obj, errors, refs)))
        if kind == "Service":
            services.append(obj)
        if kind == "ConfigMap" and str(name).startswith("logis-config"):
            for key in PER_SERVICE_KEYS:
                if key in (obj.get("data") or {}):
                    errors.append(f"{key} is per service: set it in each Deployment's env, not here")
        results.append((f"{kind}/{name}", errors))

    # Cross-object checks, reported on the referring object.
    by_label = {label: errs for label, errs in results}
    for obj, ref_kind, ref_name in refs:
        ns = obj["metadata"].get("namespace")
        if (ref_kind, ns, ref_name) not in present:
            by_label[f"{obj['kind']}/{obj['metadata'].get('name')}"].append(
                f"envFrom references {ref_kind} {ref_name!r}, which is not in the rendered output"
            )
    for svc in services:
        selector = (svc.get("spec") or {}).get("selector") or {}
        ns = svc["metadata"].get("namespace")
        if not selector:
            continue
        if not any(tns == ns and all(t.get(k) == v for k, v in selector.items()) for tns, t in templates):
            by_label[f"Service/{svc['metadata'].get('name')}"].append(
                f"selector {selector} matches no pod template"
            )

    failed = 0
    for label, errors in results:
        if errors:
            failed += 1
            print(f"  FAIL {label}")
            for e in errors:
                print(f"         - {e}")
        else:
            print(f"  ok   {label}")
    print(f"check_manifests: {len(results) - failed} passed, {failed} failed")
    return 1 if failed or not results else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
