package dev.pipeline.local.ec2;

import dev.pipeline.local.gateway.AwsRequest;
import dev.pipeline.local.gateway.GatewayResponse;
import dev.pipeline.local.gateway.Interceptor;
import dev.pipeline.local.gateway.MotoForwarder;
import dev.pipeline.local.gateway.Protocol;
import org.w3c.dom.Document;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CreateImage with a {@code snapshot} TagSpecification, which AWS accepts ("TagSpecifications: The tags to apply
 * to the AMI and snapshots on creation. ... To tag the snapshots that are created of the root volume and of other
 * Amazon EBS volumes that are attached to the instance, the value for ResourceType must be snapshot. The same tag
 * is applied to all of the snapshots that are created." EC2 API reference, CreateImage) and moto 5.2.1 answers
 * with HTTP 500. The gateway forwards the request without the snapshot spec, then tags every snapshot of the new
 * image with it before answering, so the caller sees the image's snapshots tagged as on AWS.
 */
public final class SnapshotTagsAtCreation implements Interceptor {

    @Override
    public GatewayResponse intercept(AwsRequest request, MotoForwarder moto) throws Exception {
        if (request.protocol() != Protocol.EC2 || !"CreateImage".equals(request.operation())) return null;
        Map<String, String> p = request.formParams();
        Map<String, String> kept = new LinkedHashMap<>();
        Map<String, String> snapshotTags = new LinkedHashMap<>();
        int next = 1;
        boolean found = false;
        for (int i = 1; p.containsKey("TagSpecification." + i + ".ResourceType"); i++) {
            String prefix = "TagSpecification." + i + ".";
            if ("snapshot".equals(p.get(prefix + "ResourceType"))) {
                found = true;
                for (int t = 1; p.containsKey(prefix + "Tag." + t + ".Key"); t++) {
                    snapshotTags.put(p.get(prefix + "Tag." + t + ".Key"), p.getOrDefault(prefix + "Tag." + t + ".Value", ""));
                }
                continue;
            }
            for (var e : p.entrySet()) {
                if (e.getKey().startsWith(prefix)) kept.put("TagSpecification." + next + "." + e.getKey().substring(prefix.length()), e.getValue());
            }
            next++;
        }
        if (!found) return null;
        Map<String, String> params = new LinkedHashMap<>();
        p.forEach((k, v) -> { if (!k.startsWith("TagSpecification.")) params.put(k, v); });
        params.putAll(kept);
        GatewayResponse created = moto.forward(Ec2Xml.withParams(request, params));
        if (!created.ok() || snapshotTags.isEmpty()) return created;
        String imageId = Ec2Xml.text(Ec2Xml.parse(created.body()), "imageId");
        GatewayResponse described = moto.forward(Ec2Xml.call(request, "DescribeImages", Map.of("ImageId.1", imageId)));
        if (!described.ok()) throw new IllegalStateException("moto DescribeImages of the new image failed: " + described.status());
        Document doc = Ec2Xml.parse(described.body());
        List<String> snapshots = new ArrayList<>();
        var ids = doc.getElementsByTagName("snapshotId");
        for (int i = 0; i < ids.getLength(); i++) snapshots.add(ids.item(i).getTextContent());
        if (snapshots.isEmpty()) return created;
        Map<String, String> tag = new LinkedHashMap<>();
        for (int i = 0; i < snapshots.size(); i++) tag.put("ResourceId." + (i + 1), snapshots.get(i));
        int t = 1;
        for (var e : snapshotTags.entrySet()) {
            tag.put("Tag." + t + ".Key", e.getKey());
            tag.put("Tag." + t++ + ".Value", e.getValue());
        }
        GatewayResponse tagged = moto.forward(Ec2Xml.call(request, "CreateTags", tag));
        if (!tagged.ok()) throw new IllegalStateException("moto CreateTags on the new image's snapshots failed: " + tagged.status());
        return created;
    }
}
