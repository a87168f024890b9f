package dev.pipeline.deploy.trigger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class ExecutionNamesTest {
    private static final String STEP_FUNCTIONS_NAME = "[A-Za-z0-9_-]{1,80}";

    @ParameterizedTest
    @ValueSource(strings = {"releases/app.war", "releases/my app (final) v2.war", "releases/приложение-日本.war",
            "releases/#%^|~`$&,;:/\\\"{}[]?*<>.war", "releases/\t\n\u0000.war", "releases/.war", "日本"})
    void forUpload_isAValidStepFunctionsName_forOddKeys(String key) {
        String name = ExecutionNames.forUpload(key, "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY");

        assertThat(name).matches(STEP_FUNCTIONS_NAME);
        assertThat(ExecutionNames.valid(name)).isTrue();
    }

    @Test
    void forUpload_ofA500CharacterKey_staysWithin80Characters_andTellsKeysApart() {
        String a = "releases/" + "a".repeat(487) + ".war";
        String b = "releases/" + "a".repeat(486) + "b.war"; // same first 80 characters

        assertThat(ExecutionNames.forUpload(a, "v1")).matches(STEP_FUNCTIONS_NAME).hasSize(80);
        assertThat(ExecutionNames.forUpload(a, "v1")).isNotEqualTo(ExecutionNames.forUpload(b, "v1"));
    }

    @Test
    void forUpload_isReadable() {
        assertThat(ExecutionNames.forUpload("releases/app.war", "v1")).startsWith("releases-app-war-");
    }

    @Test
    void sameKeyAndVersion_giveTheSameName_soARedeliveredEventStartsNothing() {
        assertThat(ExecutionNames.forUpload("releases/app.war", "v1")).isEqualTo(ExecutionNames.forUpload("releases/app.war", "v1"));
    }

    @Test
    void anotherVersion_orAKeyWithTheSameSlug_givesAnotherName() {
        String name = ExecutionNames.forUpload("releases/app.war", "v1");

        assertThat(ExecutionNames.forUpload("releases/app.war", "v2")).isNotEqualTo(name);
        assertThat(ExecutionNames.forUpload("releases/app war", "v1")).isNotEqualTo(name); // slug "releases-app-war" too
        // the separator keeps (key, version) pairs apart that concatenate alike
        assertThat(ExecutionNames.forUpload("releases/a.war", "1v")).isNotEqualTo(ExecutionNames.forUpload("releases/a.war1", "v"));
    }

    @Test
    void resumed_isValid_andDistinctFromTheUploadsOwnName() {
        String id = ExecutionNames.forUpload("releases/app.war", "v1");

        String resumed = ExecutionNames.resumed(id);

        assertThat(resumed).matches(STEP_FUNCTIONS_NAME).isNotEqualTo(id).endsWith("-go").startsWith("releases-app-war-");
        assertThat(ExecutionNames.resumed(id)).isEqualTo(resumed);
    }

    @Test
    void resumed_ofAnEightyCharacterId_staysWithin80_andTwoSuchIdsStayApart() {
        String a = ExecutionNames.forUpload("releases/" + "x".repeat(300) + ".war", "v1");
        String b = ExecutionNames.forUpload("releases/" + "x".repeat(300) + ".war", "v2"); // differs only in the hash
        assertThat(a).hasSize(80);

        assertThat(ExecutionNames.resumed(a)).matches(STEP_FUNCTIONS_NAME).endsWith("-go");
        assertThat(ExecutionNames.resumed(b)).matches(STEP_FUNCTIONS_NAME).isNotEqualTo(ExecutionNames.resumed(a));
        assertThat(ExecutionNames.resumed(a)).isNotEqualTo(a).isNotEqualTo(b);
    }

    @Test
    void resumed_ofAnIdThatIsNoValidName_isStillValid_andUnique() {
        assertThat(ExecutionNames.resumed("rollback to 2026-11-25#x")).matches(STEP_FUNCTIONS_NAME)
                .isNotEqualTo(ExecutionNames.resumed("rollback-to-2026-11-25-x"));
    }
}
