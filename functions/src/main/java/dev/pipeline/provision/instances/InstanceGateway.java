package dev.pipeline.provision.instances;

import dev.pipeline.functions.RetryableException;
import dev.pipeline.functions.StageFailedException;
import dev.pipeline.spec.AmiRef;
import dev.pipeline.spec.EnvironmentSpec;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.GroupIdentifier;
import software.amazon.awssdk.services.ec2.model.HttpTokensState;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceMetadataEndpointState;
import software.amazon.awssdk.services.ec2.model.InstanceStateChange;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.VolumeType;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterVersionNotFoundException;
import software.amazon.awssdk.services.ssm.model.SsmException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The EC2 (and SSM public parameter) calls of the instance stages; the only class here that imports SDK types.
 * Finds instances by the {@code pipeline:*} tags, launches hardened instances, starts and terminates them.
 * Terminating something already gone counts as done.
 */
public final class InstanceGateway {
    /** The component tag of the golden image BakeGoldenImage makes from app01. */
    public static final String GOLDEN_IMAGE_COMPONENT = "golden-ami";
    // TerminateInstances takes up to 1000 ids, and AWS recommends smaller batches.
    private static final int BATCH = 100;

    private final Ec2Client ec2;
    private final SsmClient ssm;

    public InstanceGateway(Ec2Client ec2, SsmClient ssm) {
        this.ec2 = ec2;
        this.ssm = ssm;
    }

    /** For stages that never resolve an image parameter (teardown): no SSM client to build at cold start. */
    public InstanceGateway(Ec2Client ec2) {
        this(ec2, null);
    }

    /**
     * Every instance tagged with the environment, in every state (terminated ones included: EC2 lists them for
     * about an hour, and the provisioning stages need them to pick a fresh ClientToken), optionally only those of
     * some components.
     */
    public List<Ec2Instance> findByEnvironment(String environment, Collection<String> components) {
        return findByEnvironment(environment, components, Map.of());
    }

    /** As {@link #findByEnvironment(String, Collection)}, narrowed to instances that also carry every tag of {@code tags}. */
    public List<Ec2Instance> findByEnvironment(String environment, Collection<String> components, Map<String, String> tags) {
        List<Filter> filters = new ArrayList<>();
        filters.add(Filter.builder().name("tag:" + EnvironmentSpec.TAG_ENVIRONMENT).values(environment).build());
        if (components != null && !components.isEmpty()) {
            filters.add(Filter.builder().name("tag:" + EnvironmentSpec.TAG_COMPONENT).values(components).build());
        }
        tags.forEach((k, v) -> filters.add(Filter.builder().name("tag:" + k).values(v).build()));
        List<Ec2Instance> found = new ArrayList<>();
        ec2.describeInstancesPaginator(b -> b.filters(filters)).reservations()
                .forEach(r -> r.instances().forEach(i -> found.add(view(i))));
        return found;
    }

    /**
     * The AMI a spec's image reference names: an id as is, or the value of the SSM parameter (an AWS public
     * parameter such as {@code /aws/service/ami-amazon-linux-latest/...}, or the {@code resolve:ssm:} form, with an
     * optional {@code :version} or {@code :label}, which GetParameter accepts in the name). Resolved here rather
     * than passing {@code resolve:ssm:} to RunInstances because the launch must name the image's root device.
     */
    public BaseImage resolveImage(AmiRef ref, String usedBy) {
        String imageId = ref.ssmParameter().map(p -> parameterValue(p, usedBy)).orElse(ref.value());
        List<Image> images;
        try {
            images = ec2.describeImages(b -> b.imageIds(imageId)).images();
        } catch (Ec2Exception e) {
            if (code(e).startsWith("InvalidAMIID")) images = List.of();
            else throw e;
        }
        if (images.isEmpty()) {
            throw new StageFailedException("the image " + imageId + " for " + usedBy + " (from \"" + ref.value()
                    + "\") does not exist in this region or is not shared with this account");
        }
        Image image = images.getFirst();
        if ("pending".equals(image.stateAsString())) {
            throw new RetryableException("the image " + imageId + " for " + usedBy + " is still pending");
        }
        if (!"available".equals(image.stateAsString())) {
            throw new StageFailedException("the image " + imageId + " for " + usedBy + " is " + image.stateAsString());
        }
        Integer size = image.blockDeviceMappings().stream()
                .filter(m -> image.rootDeviceName() != null && image.rootDeviceName().equals(m.deviceName()))
                .filter(m -> m.ebs() != null)
                .map(m -> m.ebs().volumeSize())
                .findFirst().orElse(null);
        return new BaseImage(imageId, image.rootDeviceName(), size);
    }

    private String parameterValue(String name, String usedBy) {
        if (ssm == null) throw new IllegalStateException("this gateway was built without an SSM client");
        try {
            return ssm.getParameter(b -> b.name(name)).parameter().value();
        } catch (ParameterNotFoundException | ParameterVersionNotFoundException e) {
            throw new StageFailedException("the image parameter " + name + " for " + usedBy + " does not exist in this region", e);
        } catch (SsmException e) {
            if (e.statusCode() == 400 && e.awsErrorDetails() != null
                    && "AccessDeniedException".equals(e.awsErrorDetails().errorCode())) {
                // template.yaml lets the stages read /aws/service/* only; a private parameter needs a policy change.
                throw new StageFailedException("the pipeline may not read the image parameter " + name + " for "
                        + usedBy + "; use an /aws/service/ public parameter or an AMI id, or grant ssm:GetParameter on it", e);
            }
            throw e;
        }
    }

    /**
     * Launches one instance, hardened: IMDSv2 only (HttpTokens required; hop limit 1, since nothing on these hosts
     * runs in a container that would need a second hop), an encrypted gp3 root volume deleted with the instance,
     * and the tags on the instance and its volume at creation (so an IAM condition on the tags can allow it).
     */
    public Ec2Instance launch(LaunchSpec spec) {
        List<Tag> tags = spec.tags().entrySet().stream()
                .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                .toList();
        BaseImage image = spec.image();
        RunInstancesRequest.Builder request = RunInstancesRequest.builder()
                .imageId(image.imageId())
                .instanceType(spec.instanceType())
                .minCount(1).maxCount(1)
                .subnetId(spec.subnetId())
                .securityGroupIds(spec.securityGroupId())
                .iamInstanceProfile(p -> p.name(spec.instanceProfileName()))
                .metadataOptions(m -> m.httpTokens(HttpTokensState.REQUIRED)
                        .httpEndpoint(InstanceMetadataEndpointState.ENABLED)
                        .httpPutResponseHopLimit(1))
                .blockDeviceMappings(BlockDeviceMapping.builder()
                        .deviceName(image.rootDeviceName())
                        .ebs(e -> e.encrypted(true).volumeType(VolumeType.GP3).deleteOnTermination(true)
                                .volumeSize(image.rootVolumeGiB()))
                        .build())
                .tagSpecifications(
                        TagSpecification.builder().resourceType(ResourceType.INSTANCE).tags(tags).build(),
                        TagSpecification.builder().resourceType(ResourceType.VOLUME).tags(tags).build())
                .clientToken(spec.clientToken());
        if (spec.userData() != null) {
            request.userData(Base64.getEncoder().encodeToString(spec.userData().getBytes(StandardCharsets.UTF_8)));
        }
        try {
            return view(ec2.runInstances(request.build()).instances().getFirst());
        } catch (Ec2Exception e) {
            String message = e.awsErrorDetails() == null ? "" : String.valueOf(e.awsErrorDetails().errorMessage());
            if ("InvalidParameterValue".equals(code(e)) && message.contains("iamInstanceProfile")) {
                // A new instance profile takes a few seconds to reach EC2 (IAM is eventually consistent).
                throw new RetryableException("instance profile " + spec.instanceProfileName() + " is not visible to EC2 yet", e);
            }
            if ("IdempotentParameterMismatch".equals(code(e))) {
                throw new StageFailedException("launching " + spec.component() + " was retried with other settings under "
                        + "the same client token (did the base image or the spec change during this run?); start a new run", e);
            }
            throw e;
        }
    }

    /** Starts a stopped instance. One that has meanwhile left "stopped" is left for the next poll to judge. */
    public void start(String instanceId) {
        try {
            ec2.startInstances(b -> b.instanceIds(instanceId));
        } catch (Ec2Exception e) {
            if (!"IncorrectInstanceState".equals(code(e))) throw e;
        }
    }

    /** Terminates instances and returns the state each is in now. NotFound counts as terminated. */
    public Map<String, String> terminate(List<String> instanceIds) {
        Map<String, String> states = new HashMap<>();
        for (int from = 0; from < instanceIds.size(); from += BATCH) {
            List<String> batch = instanceIds.subList(from, Math.min(instanceIds.size(), from + BATCH));
            try {
                terminateBatch(batch, states);
            } catch (Ec2Exception e) {
                if (!code(e).startsWith("InvalidInstanceID.NotFound")) throw explainTermination(e, batch);
                // One unknown id fails the whole call and terminates nothing: go one by one.
                for (String id : batch) {
                    try {
                        terminateBatch(List.of(id), states);
                    } catch (Ec2Exception one) {
                        if (!code(one).startsWith("InvalidInstanceID.NotFound")) throw explainTermination(one, List.of(id));
                        states.put(id, "terminated");
                    }
                }
            }
        }
        return states;
    }

    private void terminateBatch(List<String> ids, Map<String, String> states) {
        for (InstanceStateChange c : ec2.terminateInstances(b -> b.instanceIds(ids)).terminatingInstances()) {
            states.put(c.instanceId(), c.currentState().nameAsString());
        }
    }

    private RuntimeException explainTermination(Ec2Exception e, List<String> ids) {
        if ("OperationNotPermitted".equals(code(e))) {
            return new StageFailedException("cannot terminate " + String.join(", ", ids) + ": termination protection is "
                    + "on; turn it off (aws ec2 modify-instance-attribute --no-disable-api-termination) and run the "
                    + "teardown again", e);
        }
        return e;
    }

    /** True when the environment has a golden image that is available or being made (BakeGoldenImage's output). */
    public boolean goldenImageExists(String environment) {
        return !ec2.describeImages(b -> b.owners("self").filters(
                Filter.builder().name("tag:" + EnvironmentSpec.TAG_ENVIRONMENT).values(environment).build(),
                Filter.builder().name("tag:" + EnvironmentSpec.TAG_COMPONENT).values(GOLDEN_IMAGE_COMPONENT).build(),
                Filter.builder().name("state").values("available", "pending").build())).images().isEmpty();
    }

    /** The IPv4 CIDR blocks of the given subnets, in the given order. */
    public List<String> subnetCidrs(List<String> subnetIds) {
        Map<String, String> cidrs = new HashMap<>();
        for (Subnet s : ec2.describeSubnets(b -> b.subnetIds(subnetIds)).subnets()) {
            cidrs.put(s.subnetId(), s.cidrBlock());
        }
        List<String> ordered = new ArrayList<>();
        for (String id : subnetIds) {
            String cidr = cidrs.get(id);
            if (cidr == null) throw new StageFailedException("app subnet " + id + " does not exist");
            ordered.add(cidr);
        }
        return ordered;
    }

    private static Ec2Instance view(Instance i) {
        String component = i.tags().stream()
                .filter(t -> EnvironmentSpec.TAG_COMPONENT.equals(t.key()))
                .map(Tag::value).findFirst().orElse(null);
        return new Ec2Instance(i.instanceId(), component, i.state().nameAsString(), i.privateIpAddress(),
                i.launchTime(), i.instanceTypeAsString(), i.subnetId(),
                i.securityGroups().stream().map(GroupIdentifier::groupId).toList(),
                i.iamInstanceProfile() == null ? null : i.iamInstanceProfile().arn(),
                i.tags().stream().filter(t -> Ec2Instance.BOOT_TAG.equals(t.key())).map(Tag::value).findFirst().orElse(null));
    }

    /**
     * The last {@code lines} lines of the instance's console output (GetConsoleOutput: cloud-init prints the boot
     * script's output there); empty when EC2 has none yet.
     */
    public String consoleTail(String instanceId, int lines) {
        String encoded = ec2.getConsoleOutput(b -> b.instanceId(instanceId).latest(true)).output();
        if (encoded == null || encoded.isBlank()) return "";
        String text = new String(java.util.Base64.getMimeDecoder().decode(encoded), java.nio.charset.StandardCharsets.UTF_8);
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private static String code(Ec2Exception e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? "" : e.awsErrorDetails().errorCode();
    }
}
