#!/usr/bin/env bash
# The step of the GitHub Action (action.yml at the repository's root): installs jira-connections, writes the
# SARIF report when asked, then validates with GitHub annotations, so errors show on the pull request's
# lines. Its exit code is the tool's: 0 no error, 1 an error, 2 the tool could not run (or be installed).
# Inputs come as JCG_* environment variables (action.yml maps each input to one).
set -uo pipefail

tools="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/jira-connections-tool"
install=(tool update JiraConfigGen.Cli --tool-path "$tools")   # installs it when it is not there yet
if [ -n "${JCG_VERSION:-}" ]; then install+=(--version "$JCG_VERSION"); fi
if [ -n "${JCG_NUGET_SOURCE:-}" ]; then install+=(--add-source "$JCG_NUGET_SOURCE"); fi
if ! log="$(dotnet "${install[@]}" 2>&1)"; then
  echo "$log" >&2
  echo "::error title=jira-connections::could not install JiraConfigGen.Cli${JCG_VERSION:+ $JCG_VERSION}; see the log above"
  exit 2
fi

args=()
if [ "${JCG_WARNINGS_AS_ERRORS:-false}" = "true" ]; then args+=(--warnings-as-errors); fi
if [ "${JCG_MERGE:-false}" = "true" ]; then args+=(--merge); fi

# Paths are separated by spaces or new lines; globs stay quoted for the tool, which expands them itself.
paths=()
while read -r -a line; do paths+=("${line[@]}"); done <<< "${JCG_PATHS:-}"

if [ -n "${JCG_SARIF_FILE:-}" ]; then
  # The report is written even when the files have errors (exit 1); a run that cannot start (2) is reported below.
  "$tools/jira-connections" validate "${args[@]}" --format sarif --output "$JCG_SARIF_FILE" "${paths[@]}" 2>/dev/null
  if [ $? -ne 2 ] && [ -n "${GITHUB_OUTPUT:-}" ]; then echo "sarif-file=$JCG_SARIF_FILE" >> "$GITHUB_OUTPUT"; fi
fi

"$tools/jira-connections" validate "${args[@]}" --format github "${paths[@]}"
