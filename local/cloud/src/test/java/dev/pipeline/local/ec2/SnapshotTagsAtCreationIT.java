package dev.pipeline.local.ec2;

import dev.pipeline.local.junit.LocalCloudExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.ec2.model.Tag;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** CreateImage with a snapshot TagSpecification, which AWS accepts and moto answers with a 500. */
@ExtendWith(LocalCloudExtension.class)
class SnapshotTagsAtCreationIT {

    @Test
    void createImage_tagsTheImageAndEverySnapshot_asAskedAtCreation(Ec2Client ec2) {
        String ami = ec2.describeImages(b -> b.owners("amazon")).images().getFirst().imageId();
        String instance = ec2.runInstances(b -> b.imageId(ami).minCount(1).maxCount(1)).instances().getFirst().instanceId();

        String image = ec2.createImage(b -> b.instanceId(instance).name("golden-1").tagSpecifications(
                t -> t.resourceType(ResourceType.IMAGE).tags(Tag.builder().key("pipeline:component").value("golden-ami").build()),
                t -> t.resourceType(ResourceType.SNAPSHOT).tags(Tag.builder().key("pipeline:environment").value("vprofile").build())))
                .imageId();

        Image created = ec2.describeImages(b -> b.imageIds(image)).images().getFirst();
        assertThat(created.tags()).extracting(Tag::key).containsExactly("pipeline:component");
        List<String> snapshots = created.blockDeviceMappings().stream().filter(m -> m.ebs() != null).map(m -> m.ebs().snapshotId()).toList();
        assertThat(snapshots).isNotEmpty();
        List<Snapshot> tagged = ec2.describeSnapshots(b -> b.filters(f -> f.name("tag:pipeline:environment").values("vprofile"))).snapshots();
        assertThat(tagged).extracting(Snapshot::snapshotId).containsExactlyInAnyOrderElementsOf(snapshots);
    }
}
