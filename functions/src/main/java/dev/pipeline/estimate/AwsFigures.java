package dev.pipeline.estimate;

/**
 * The AWS figures the estimate (and, later, the local cloud's clock) uses: durations AWS documents or that are
 * typical where AWS documents none, and us-east-1 on-demand list prices. One place, each with its source.
 *
 * <p>Durations AWS does not publish (how long an instance takes to boot, an image to be created, a load balancer
 * to become active) are typical values for the sizes this pipeline uses (Amazon Linux 2023, 8 GiB gp3 root, t3
 * instances) and say so in their source; AWS's documentation only says "a few minutes" for these. Prices are the
 * list prices on the AWS pricing pages named, for Linux on-demand in US East (N. Virginia), as of
 * {@link #PRICES_AS_OF}; they change, so the estimate prints the date.
 */
public final class AwsFigures {
    private AwsFigures() {}

    /** When the prices below were read from the pricing pages. */
    public static final String PRICES_AS_OF = "2026-12-04";

    // ------------------------------------------------------------------------------------------------ durations
    public static final Figure INSTANCE_PENDING_TO_RUNNING = new Figure("EC2 instance pending -> running", 30, "s",
            "typical; AWS documents the states, not their length: https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-lifecycle.html");
    public static final Figure OS_BOOT = new Figure("Amazon Linux 2023 boot to cloud-init user data", 30, "s",
            "typical for AL2023 on t3 (no published figure): https://docs.aws.amazon.com/linux/al2023/ug/what-is-amazon-linux.html");
    public static final Figure BACKEND_USER_DATA = new Figure("backend user data (dnf install and start MariaDB / Memcached / RabbitMQ)", 150, "s",
            "typical package install from the AL2023 repositories; the scripts are functions/.../UserDataRenderer");
    public static final Figure APP_USER_DATA = new Figure("app01 user data (JDK, Tomcat, the bootstrap WAR)", 150, "s",
            "typical; the script is functions/.../UserDataRenderer");
    public static final Figure SSM_REGISTRATION = new Figure("SSM Agent registered (Run Command can reach the instance)", 30, "s",
            "typical; the agent starts at boot and registers with Systems Manager: https://docs.aws.amazon.com/systems-manager/latest/userguide/ssm-agent.html");
    public static final Figure WAR_INSTALL = new Figure("Run Command: download WAR, sha256, install, Tomcat restart, app answers", 60, "s",
            "typical for a ~100 MB WAR; the command is functions/.../BakeCommand");
    public static final Figure TOMCAT_START = new Figure("Tomcat and the app started on a new fleet instance", 45, "s",
            "typical for the vprofile WAR; the golden image already holds Tomcat and the app");
    public static final Figure CREATE_IMAGE_FIRST = new Figure("CreateImage with reboot, first (full) snapshot of an 8 GiB root", 600, "s",
            "typical; AWS: the image is pending until its snapshots complete, and a first snapshot copies every written block: https://docs.aws.amazon.com/ebs/latest/userguide/how_snapshots_work.html");
    public static final Figure CREATE_IMAGE_INCREMENTAL = new Figure("CreateImage with reboot, incremental snapshot (release image)", 300, "s",
            "typical; snapshots after the first copy only changed blocks: https://docs.aws.amazon.com/ebs/latest/userguide/how_snapshots_work.html");
    public static final Figure LOAD_BALANCER_ACTIVE = new Figure("Application Load Balancer provisioning -> active", 150, "s",
            "typical (AWS: 'a few minutes'); overlapped with the backends here: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/create-application-load-balancer.html");
    public static final Figure TERMINATION = new Figure("instance shutting-down -> terminated", 30, "s",
            "typical: https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/terminating-instances.html");
    public static final Figure DEREGISTRATION_DELAY = new Figure("target group deregistration delay (connection draining)", 30, "s",
            "code: TargetGroupSettings.DEREGISTRATION_DELAY_SECONDS (AWS default 300): https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-target-group-attributes.html#deregistration-delay");
    public static final Figure LAMBDA_INVOCATION = new Figure("one stage's Lambda invocation (SnapStart restore + work)", 0.5, "s",
            "typical with SnapStart (restore in hundreds of ms): https://docs.aws.amazon.com/lambda/latest/dg/snapstart.html; see docs/benchmarks/cold-start.md");
    public static final Figure UPLOAD_TO_EXECUTION = new Figure("S3 upload -> EventBridge -> StartDeploy -> execution running", 2, "s",
            "typical; S3 event delivery to EventBridge is usually within seconds: https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventBridge.html");
    public static final Figure CODEDEPLOY_AGENT_INSTALL = new Figure("app01 installs the CodeDeploy agent (ruby, wget, the region's installer)", 45, "s",
            "typical; the steps of https://docs.aws.amazon.com/codedeploy/latest/userguide/codedeploy-agent-operations-install-linux.html, in functions/.../userdata/app.sh");
    public static final Figure CODEDEPLOY_AGENT_PICKUP = new Figure("CodeDeploy agent picks up its command and downloads the revision", 10, "s",
            "typical: the agent polls CodeDeploy for commands and fetches the bundle from S3 in-region: https://docs.aws.amazon.com/codedeploy/latest/userguide/codedeploy-agent.html");
    public static final Figure IN_PLACE_INSTALL = new Figure("AfterInstall hook: sha256 of the WAR, unzip as ROOT", 10, "s",
            "typical for a ~100 MB WAR; the script is functions/.../InPlaceRevision");
    /** The wait loops of the workflows: PollSeconds (template.yaml default 30). */
    public static final Figure POLL_SECONDS = new Figure("workflow wait between checks (PollSeconds)", 30, "s",
            "template.yaml parameter PollSeconds (default 30); a wait loop notices the end on average half a poll late");

    // ------------------------------------------------------------------------------------------------ prices
    public static final Figure LOAD_BALANCER_HOUR = new Figure("Application Load Balancer hour", 0.0225, "USD/h",
            "https://aws.amazon.com/elasticloadbalancing/pricing/ (us-east-1)");
    public static final Figure LCU_HOUR = new Figure("ALB LCU-hour", 0.008, "USD/h",
            "https://aws.amazon.com/elasticloadbalancing/pricing/ (us-east-1); 1 LCU = 25 new connections/s, 3,000 active/min, 1 GB/h, 1,000 rule evaluations/s");
    public static final Figure LCUS_LOW_TRAFFIC = new Figure("LCUs used at low traffic", 1, "LCU",
            "assumption: a small site stays within one LCU in every dimension");
    public static final Figure GP3_GB_MONTH = new Figure("EBS gp3 storage", 0.08, "USD/GB-month",
            "https://aws.amazon.com/ebs/pricing/ (us-east-1; 3,000 IOPS and 125 MB/s included)");
    public static final Figure SNAPSHOT_GB_MONTH = new Figure("EBS snapshot storage (standard tier)", 0.05, "USD/GB-month",
            "https://aws.amazon.com/ebs/pricing/ (us-east-1)");
    public static final Figure ROOT_VOLUME_GB = new Figure("root volume per instance", 8, "GiB",
            "the Amazon Linux 2023 AMI's default root volume");
    public static final Figure RELEASE_SNAPSHOT_GB = new Figure("changed blocks per release image", 1, "GiB",
            "assumption: a WAR and logs change ~1 GiB of the golden image's blocks");
    public static final Figure HOSTED_ZONE_MONTH = new Figure("Route 53 hosted zone", 0.50, "USD/month",
            "https://aws.amazon.com/route53/pricing/ (first 25 zones)");
    public static final Figure ALARM_MONTH = new Figure("CloudWatch alarm (standard resolution)", 0.10, "USD/month",
            "https://aws.amazon.com/cloudwatch/pricing/ (0.10 USD per alarm metric per month; the free tier's 10 alarms not counted)");
    public static final Figure NAT_GATEWAY_HOUR = new Figure("NAT gateway hour", 0.045, "USD/h",
            "https://aws.amazon.com/vpc/pricing/ (us-east-1; plus 0.045 USD/GB processed)");
    public static final Figure STATE_TRANSITION = new Figure("Step Functions Standard state transition", 0.000025, "USD",
            "https://aws.amazon.com/step-functions/pricing/ (0.025 USD per 1,000 in us-east-1; 4,000 free per month)");
    public static final Figure LAMBDA_GB_SECOND = new Figure("Lambda x86 compute", 0.0000166667, "USD/GB-s",
            "https://aws.amazon.com/lambda/pricing/ (us-east-1, x86, first 6 billion GB-s tier)");
    public static final Figure LAMBDA_REQUEST = new Figure("Lambda request", 0.0000002, "USD",
            "https://aws.amazon.com/lambda/pricing/ (0.20 USD per million)");
    public static final Figure LAMBDA_MEMORY_GB = new Figure("function memory", 1, "GB",
            "template.yaml Globals MemorySize 1024");
    public static final Figure HOURS_PER_MONTH = new Figure("hours in a month", 730, "h",
            "AWS pricing pages' convention (365 × 24 / 12)");

    /** On-demand Linux price of an instance type in us-east-1, or null when this table does not know it. */
    public static Figure instanceHour(String instanceType) {
        double usd = switch (instanceType) {
            case "t3.nano" -> 0.0052;
            case "t3.micro" -> 0.0104;
            case "t3.small" -> 0.0208;
            case "t3.medium" -> 0.0416;
            case "t3.large" -> 0.0832;
            case "t3.xlarge" -> 0.1664;
            case "t3.2xlarge" -> 0.3328;
            case "t2.micro" -> 0.0116;
            case "t2.small" -> 0.023;
            case "t2.medium" -> 0.0464;
            case "m5.large" -> 0.096;
            case "m6i.large" -> 0.096;
            case "m7i.large" -> 0.1008;
            case "c5.large" -> 0.085;
            case "r5.large" -> 0.126;
            default -> -1;
        };
        if (usd < 0) return null;
        return new Figure(instanceType + " on-demand hour", usd, "USD/h",
                "https://aws.amazon.com/ec2/pricing/on-demand/ (us-east-1, Linux)");
    }
}
