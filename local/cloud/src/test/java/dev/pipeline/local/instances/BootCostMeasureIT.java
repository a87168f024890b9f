package dev.pipeline.local.instances;

import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.junit.LocalCloudExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Not a test: measures boot ms and resident MB per instance (run with -Dit.test=BootCostMeasureIT -Dinstances=N). */
@ExtendWith(LocalCloudExtension.class)
class BootCostMeasureIT {
    @Test
    void measure(LocalCloud cloud, Ec2Client ec2) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty("instances") != null, "a measurement, run on request only");
        for (String n : System.getProperty("instances").split(",")) {
            int count = Integer.parseInt(n);
            cloud.reset();
            System.gc();
            long rss0 = rssKb();
            String image = InstanceBootIT.givenImage(ec2);
            long t0 = System.nanoTime();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < count; i++) ids.add(InstanceBootIT.launch(ec2, InstanceBootIT.SERVE_JSP.replace("aws ec2 create-tags", "true"), null, image));
            List<Long> ms = new ArrayList<>();
            for (String id : ids) {
                InstanceBootIT.await(() -> InstanceBootIT.get(cloud, id).filter(b -> b.contains("served by")), "serve");
                ms.add((System.nanoTime() - t0) / 1_000_000);
            }
            long rss1 = rssKb();
            String line = String.format("instances=%d boot_ms_last=%d boot_ms_first=%d rss_delta_mb_per_instance=%.1f rss_mb=%d%n",
                    count, ms.getLast(), ms.getFirst(), (rss1 - rss0) / 1024.0 / count, rss1 / 1024);
            Files.writeString(Path.of("/tmp/boot-cost.txt"), line, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        }
    }

    private static long rssKb() throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("\\D", ""));
        return -1;
    }
}
