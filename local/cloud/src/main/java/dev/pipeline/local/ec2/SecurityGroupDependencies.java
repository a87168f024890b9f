package dev.pipeline.local.ec2;

import dev.pipeline.local.gateway.AwsErrors;
import dev.pipeline.local.gateway.AwsRequest;
import dev.pipeline.local.gateway.GatewayResponse;
import dev.pipeline.local.gateway.Interceptor;
import dev.pipeline.local.gateway.MotoForwarder;
import dev.pipeline.local.gateway.Protocol;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DeleteSecurityGroup refuses a group that is still in use, as AWS does and moto does not (moto deletes any
 * group, even one an instance runs with or another group's rule names). AWS: "If you attempt to delete a
 * security group that is associated with an instance or network interface, is referenced by another security
 * group in the same VPC, or has a VPC association, the operation fails with DependencyViolation." Stateless:
 * every check asks moto for the current state, so repeating a delete gives the same answer until the
 * dependency is gone.
 */
public final class SecurityGroupDependencies implements Interceptor {
    /** Instances in these states hold their network interface, and so the group (terminated ones release it). */
    private static final List<String> HOLDING_STATES = List.of("pending", "running", "shutting-down", "stopping", "stopped");

    @Override
    public GatewayResponse intercept(AwsRequest request, MotoForwarder moto) throws Exception {
        if (request.protocol() != Protocol.EC2 || !"DeleteSecurityGroup".equals(request.operation())) return null;
        Map<String, String> form = request.formParams();
        String groupId = form.get("GroupId");
        // By name (default VPC only) or a dry run: moto's own answer. The pipeline always deletes by id.
        if (groupId == null || groupId.isEmpty() || "true".equalsIgnoreCase(form.get("DryRun"))) return null;

        GatewayResponse described = moto.forward(Ec2Xml.call(request, "DescribeSecurityGroups", Map.of("GroupId.1", groupId)));
        if (!described.ok()) return null; // not found (or malformed): moto gives AWS's error for the delete itself
        Element group = first(Ec2Xml.parse(described.body()), "securityGroupInfo");
        String vpcId = group == null ? null : Ec2Xml.childText(group, "vpcId");

        String dependent = instanceUsing(request, moto, groupId);
        if (dependent == null) dependent = interfaceUsing(request, moto, groupId);
        if (dependent == null && vpcId != null) dependent = groupReferencing(request, moto, groupId, vpcId);
        if (dependent == null) return null;
        // AWS's message does not name the dependent object; ours keeps its wording (tools match on it).
        return AwsErrors.error(request, 400, "DependencyViolation", "resource " + groupId + " has a dependent object");
    }

    /** A non-terminated instance with the group on any of its interfaces. */
    private static String instanceUsing(AwsRequest caller, MotoForwarder moto, String groupId) throws Exception {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("Filter.1.Name", "instance.group-id");
        p.put("Filter.1.Value.1", groupId);
        p.put("Filter.2.Name", "instance-state-name");
        for (int i = 0; i < HOLDING_STATES.size(); i++) p.put("Filter.2.Value." + (i + 1), HOLDING_STATES.get(i));
        GatewayResponse r = moto.forward(Ec2Xml.call(caller, "DescribeInstances", p));
        if (!r.ok()) throw new IllegalStateException("moto DescribeInstances failed: " + r.status());
        Document doc = Ec2Xml.parse(r.body());
        var ids = doc.getElementsByTagName("instanceId");
        return ids.getLength() == 0 ? null : ids.item(0).getTextContent();
    }

    /**
     * A network interface with the group that no instance owns (an unattached interface, or one of another
     * service). Interfaces attached to instances are judged by the instance's state above, because moto keeps a
     * terminated instance's primary interface "in-use" forever, where AWS deletes it with the instance.
     */
    private static String interfaceUsing(AwsRequest caller, MotoForwarder moto, String groupId) throws Exception {
        GatewayResponse r = moto.forward(Ec2Xml.call(caller, "DescribeNetworkInterfaces",
                Map.of("Filter.1.Name", "group-id", "Filter.1.Value.1", groupId)));
        if (!r.ok()) throw new IllegalStateException("moto DescribeNetworkInterfaces failed: " + r.status());
        for (Element eni : items(Ec2Xml.parse(r.body()), "networkInterfaceSet")) {
            Element attachment = Ec2Xml.child(eni, "attachment");
            String instance = attachment == null ? null : Ec2Xml.childText(attachment, "instanceId");
            if (instance == null || instance.isEmpty()) return Ec2Xml.childText(eni, "networkInterfaceId");
        }
        return null;
    }

    /** Another group of the VPC whose inbound or outbound rules name this one (a rule naming its own group does not count). */
    private static String groupReferencing(AwsRequest caller, MotoForwarder moto, String groupId, String vpcId) throws Exception {
        for (String filter : List.of("ip-permission.group-id", "egress.ip-permission.group-id")) {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("Filter.1.Name", filter);
            p.put("Filter.1.Value.1", groupId);
            p.put("Filter.2.Name", "vpc-id");
            p.put("Filter.2.Value.1", vpcId);
            GatewayResponse r = moto.forward(Ec2Xml.call(caller, "DescribeSecurityGroups", p));
            if (!r.ok()) throw new IllegalStateException("moto DescribeSecurityGroups failed: " + r.status());
            for (Element g : items(Ec2Xml.parse(r.body()), "securityGroupInfo")) {
                String id = Ec2Xml.childText(g, "groupId");
                if (!groupId.equals(id)) return id;
            }
        }
        return null;
    }

    private static Element first(Document doc, String setTag) {
        List<Element> all = items(doc, setTag);
        return all.isEmpty() ? null : all.getFirst();
    }

    /** The direct items of the first element named {@code setTag} (nested sets of the same name are not descended into). */
    private static List<Element> items(Document doc, String setTag) {
        var sets = doc.getElementsByTagName(setTag);
        return sets.getLength() == 0 ? new ArrayList<>() : Ec2Xml.children(sets.item(0), "item");
    }
}
