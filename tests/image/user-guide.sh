#!/usr/bin/env bash
# The user guide's docker run lines (../shared/seed/USER_GUIDE.txt, "3. Validate configuration",
# "4. Generate IAM policy", "5. Generate CloudFormation template", "7. Generate pre-deployment
# review report"), copied unchanged but for docker -> podman. scripts/image-check.sh runs this in
# a folder holding ml/{configs,policies,templates,reports}, with HOME holding .aws, as a user
# would. Do not edit the lines: their point is that the guide's scripts keep working.
# shellcheck disable=SC2046  # the guide's lines, verbatim: $(pwd) unquoted as users copy it
set -euo pipefail

CONFIG=techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit.yaml
IMAGE=starter
# 3. Validate configuration
podman run --rm \
-v ~/.aws:/home/mluser/.aws:ro \
-v $(pwd)/ml/configs:/app/configs:ro \
-v $(pwd)/ml/reports:/app/reports \
ml-provisioner:${IMAGE} -con ${CONFIG} -act validate-config
# 4. Generate IAM policy
podman run --rm \
-v ~/.aws:/home/mluser/.aws:ro \
-v $(pwd)/ml/configs:/app/configs:ro \
-v $(pwd)/ml/policies:/app/policies \
-v $(pwd)/ml/reports:/app/reports \
ml-provisioner:${IMAGE} -con ${CONFIG} -act create-policy
# 5. Generate CloudFormation template
podman run --rm \
-v ~/.aws:/home/mluser/.aws:ro \
-v $(pwd)/ml/configs:/app/configs:ro \
-v $(pwd)/ml/templates:/app/templates \
-v $(pwd)/ml/reports:/app/reports \
ml-provisioner:${IMAGE} -con ${CONFIG} -act create-prov-template
# 7. Generate pre-deployment review report
podman run --rm \
-v ~/.aws:/home/mluser/.aws:ro \
-v $(pwd)/ml/configs:/app/configs:ro \
-v $(pwd)/ml/templates:/app/templates \
-v $(pwd)/ml/reports:/app/reports \
ml-provisioner:${IMAGE} -con ${CONFIG} -act create-review-report
