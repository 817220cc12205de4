#!/bin/sh
# One-shot namespace step (the `temporal-init` service in docker-compose.yml;
# runs in the temporalio/admin-tools image with the `temporal` CLI). Idempotent:
#   1. wait until the frontend answers a health check;
#   2. create the namespace unless it exists (the plain server image, unlike
#      the retired auto-setup image, creates no "default" namespace);
#   3. register par-index's custom search attributes. The worker also ensures
#      them at start (runtime/search-attributes.ts); this step makes them exist
#      before anything starts a workflow. On SQL visibility the server skips
#      names that already exist, so re-running is harmless.
# Keep the list in step with contracts/search-attributes.ts.
set -eu

# The CLI reads TEMPORAL_ADDRESS itself; it is required here so a typo cannot
# silently point at localhost.
: "${TEMPORAL_ADDRESS:?TEMPORAL_ADDRESS is required}"
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
RETENTION="${TEMPORAL_NAMESPACE_RETENTION:-30d}"
MAX_ATTEMPTS="${INIT_MAX_ATTEMPTS:-60}"

# retry DESCRIPTION COMMAND...: run COMMAND until it succeeds, 2 s apart.
retry() {
  what="$1"
  shift
  attempt=1
  until "$@"; do
    if [ "$attempt" -ge "$MAX_ATTEMPTS" ]; then
      echo "Gave up: ${what} (${MAX_ATTEMPTS} attempts)" >&2
      return 1
    fi
    echo "Not yet: ${what} (attempt ${attempt}/${MAX_ATTEMPTS})"
    attempt=$((attempt + 1))
    sleep 2
  done
}

namespace_exists() {
  temporal operator namespace describe --namespace "$NAMESPACE" >/dev/null 2>&1
}

ensure_namespace() {
  namespace_exists && return 0
  # A failed create may still have raced with another creator: look again.
  temporal operator namespace create --namespace "$NAMESPACE" --retention "$RETENTION" || namespace_exists
}

register_search_attributes() {
  temporal operator search-attribute create --namespace "$NAMESPACE" \
    --name CampaignId --type Keyword \
    --name Stage --type Keyword \
    --name UnitCode --type Keyword \
    --name UnitGroup --type Keyword \
    --name UnitStatus --type Keyword \
    --name CampaignYear --type Int
}

retry "Temporal at ${TEMPORAL_ADDRESS} is healthy" temporal operator cluster health
retry "namespace ${NAMESPACE} exists" ensure_namespace
# Right after a create, the frontend's namespace cache may not know the new
# namespace for a few seconds; the retry covers that window.
retry "search attributes registered in ${NAMESPACE}" register_search_attributes
temporal operator search-attribute list --namespace "$NAMESPACE"
echo "Namespace ${NAMESPACE} is ready."
