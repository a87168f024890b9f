package dev.pipeline.cli.estimate;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipeline.estimate.Estimator;
import dev.pipeline.spec.EnvironmentSpecs;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class EstimateCommandTest {

    @Test
    void markdown_showsTheInPlacePath_liveTime_thenWhenItsImageFollowed() throws Exception {
        var spec = EnvironmentSpecs.toTree(EnvironmentSpecs.parse(Files.readString(Path.of("../../examples/vprofile.json"))));
        Estimator.Estimate e = new Estimator(30).estimate(spec);
        var json = EstimateCommand.json(e, "examples/vprofile.json", 30);
        String md = EstimateCommand.markdown(json);

        String live = Double.toString(Math.round(e.inPlaceToLiveSeconds() / 60 * 10) / 10.0);
        assertThat(json.path("inPlace").path("minutesToLive").asText()).isEqualTo(live);
        assertThat(md).contains("#### An in-place release on AWS")
                .contains("Live on every instance after **~" + live + " min** (CodeDeployDefault.OneAtATime: 2 batch(es) of 1)")
                .contains("| **Live** | **" + live + " min** | |")
                .contains("| CodeDeploy agent picks up its command and downloads the revision | 10 s |");
        assertThat(json.path("inPlace").path("minutesUntilImage").asDouble()).isGreaterThan(json.path("inPlace").path("minutesToLive").asDouble());
        // the in-place path is the fast one
        assertThat(e.inPlaceToLiveSeconds()).isLessThan(e.deploySeconds());
        new ObjectMapper().readTree(json.toString());
    }
}
