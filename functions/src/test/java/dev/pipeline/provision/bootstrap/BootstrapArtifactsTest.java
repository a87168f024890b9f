package dev.pipeline.provision.bootstrap;

import dev.pipeline.spec.EnvironmentSpec;
import dev.pipeline.spec.EnvironmentSpecs;
import dev.pipeline.spec.SpecFixtures;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The preflight of an account before {@code sam deploy}: the stack's bucket does not exist yet, so a bootstrap WAR the
 * spec names can only be there if it names its own bucket too. (With a bucket, existence is checked against S3:
 * ValidateSpecIT and PreflightCommandIT.)
 */
class BootstrapArtifactsTest {
    private static final BootstrapArtifacts BEFORE_THE_STACK = new BootstrapArtifacts(null, null);

    @Test
    void theDefaultKey_isNeverAProblem_provisioningPutsTheSampleAppThere() {
        EnvironmentSpec spec = EnvironmentSpecs.parse(SpecFixtures.MINIMAL);

        assertThat(BEFORE_THE_STACK.missingNamedWar(spec)).isEmpty();
    }

    @Test
    void aKeyOfTheUsersOwn_inTheStacksBucket_cannotExistBeforeTheStack_andTheProblemSaysWhatToDo() {
        EnvironmentSpec spec = EnvironmentSpecs.parse(SpecFixtures.minimalWith(root ->
                root.withObject("artifacts").put("bootstrapWarKey", "seed/shop.war")));

        assertThat(BEFORE_THE_STACK.missingNamedWar(spec)).hasValueSatisfying(m -> assertThat(m)
                .contains("seed/shop.war").contains("artifacts.bucket").contains("leave bootstrapWarKey out"));
    }
}
