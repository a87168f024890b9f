package dev.pipeline.deploy.rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whether a failed release left the fleet where it was: the group on the previous numbered version and every
 * in-service instance on that version's AMI. Instances are compared by AMI, not by launch template version,
 * because the AMI is what they run (and moto reports every instance's version as the template's default).
 *
 * @param groupOnPrevious   the group points at the previous version
 * @param strayInstances    in-service instance id → the AMI it runs, for each not on the previous AMI
 */
public record RollbackCheck(boolean groupOnPrevious, Map<String, String> strayInstances) {

    public static RollbackCheck of(String groupVersion, long previousVersion, String previousImageId,
                                   Map<String, String> inServiceImages) {
        Map<String, String> stray = new java.util.TreeMap<>();
        inServiceImages.forEach((id, image) -> {
            if (!previousImageId.equals(image)) stray.put(id, image);
        });
        return new RollbackCheck(Long.toString(previousVersion).equals(groupVersion), stray);
    }

    public boolean complete() {
        return groupOnPrevious && strayInstances.isEmpty();
    }

    /** What is still wrong, in a user's words. */
    public String problems() {
        List<String> p = new ArrayList<>();
        if (!groupOnPrevious) p.add("the group is not on the previous launch template version");
        strayInstances.forEach((id, image) -> p.add(id + " runs " + image));
        return String.join("; ", p);
    }
}
