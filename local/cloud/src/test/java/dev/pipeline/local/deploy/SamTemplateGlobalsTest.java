package dev.pipeline.local.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Globals merged into each resource as SAM merges them (samtranslator GlobalProperties; SAM developer guide, "Globals
 * section of the AWS SAM template"): the resource's own scalar wins, maps merge key by key, lists are concatenated with
 * the global entries first, values of different kinds and intrinsics take the resource's value.
 */
class SamTemplateGlobalsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    @Test
    void aScalar_isTheResourcesOwn_orTheGlobalOneWhenItHasNone() throws Exception {
        assertThat(SamTemplate.mergeGlobals(json("{\"Runtime\":\"java25\",\"Timeout\":60}"), json("{\"Timeout\":300}")))
                .isEqualTo(json("{\"Runtime\":\"java25\",\"Timeout\":300}"));
    }

    @Test
    void maps_mergeKeyByKey_atEveryDepth_theResourcesValueWinning() throws Exception {
        JsonNode global = json("""
            {"Environment": {"Variables": {"TABLE": "t", "LEVEL": "INFO"}},
             "LoggingConfig": {"LogFormat": "JSON", "ApplicationLogLevel": "INFO"}}
            """);
        JsonNode local = json("""
            {"Environment": {"Variables": {"LEVEL": "DEBUG", "EXTRA": "x"}},
             "LoggingConfig": {"LogGroup": "MyLogGroup"}}
            """);
        assertThat(SamTemplate.mergeGlobals(global, local)).isEqualTo(json("""
            {"Environment": {"Variables": {"TABLE": "t", "LEVEL": "DEBUG", "EXTRA": "x"}},
             "LoggingConfig": {"LogFormat": "JSON", "ApplicationLogLevel": "INFO", "LogGroup": "MyLogGroup"}}
            """));
    }

    @Test
    void lists_areConcatenated_globalEntriesFirst_duplicatesKept() throws Exception {
        assertThat(SamTemplate.mergeGlobals(json("{\"Layers\":[\"a\",\"b\"]}"), json("{\"Layers\":[\"a\",\"c\"]}")))
                .isEqualTo(json("{\"Layers\":[\"a\",\"b\",\"a\",\"c\"]}"));
    }

    @Test
    void valuesOfDifferentKinds_takeTheResourcesValue() throws Exception {
        assertThat(SamTemplate.mergeGlobals(json("{\"CodeUri\":\"s3://bucket/key\"}"), json("{\"CodeUri\":{\"Bucket\":\"b\",\"Key\":\"k\"}}")))
                .isEqualTo(json("{\"CodeUri\":{\"Bucket\":\"b\",\"Key\":\"k\"}}"));
        assertThat(SamTemplate.mergeGlobals(json("{\"Layers\":[\"a\"]}"), json("{\"Layers\":\"b\"}")))
                .isEqualTo(json("{\"Layers\":\"b\"}"));
    }

    @Test
    void anIntrinsic_isAValue_notAMapToMerge() throws Exception {
        // SAM resolves {"Ref": ...} and {"Fn::...": ...} to one value: the resource's replaces the global map whole
        JsonNode global = json("{\"VpcConfig\":{\"SubnetIds\":[\"s\"],\"SecurityGroupIds\":[\"g\"]}}");
        JsonNode local = json("{\"VpcConfig\":{\"Fn::If\":[\"C\",{\"SubnetIds\":[\"t\"]},{\"Ref\":\"AWS::NoValue\"}]}}");
        assertThat(SamTemplate.mergeGlobals(global, local)).isEqualTo(local);
        assertThat(SamTemplate.mergeGlobals(json("{\"Variables\":{\"Ref\":\"A\"}}"), json("{\"Variables\":{\"Ref\":\"B\"}}")))
                .isEqualTo(json("{\"Variables\":{\"Ref\":\"B\"}}"));
    }

    @Test
    void aTemplatesFunctions_carryTheirGlobals_asTheLocalDeploymentReadsThem() throws Exception {
        SamTemplate t = template("""
            Globals:
              Function:
                Handler: pkg.Default::handleRequest
                Timeout: 60
                Environment:
                  Variables: {SHARED: from-globals, LEVEL: INFO}
                LoggingConfig: {LogFormat: JSON}
            Resources:
              Plain:
                Type: AWS::Serverless::Function
                Properties:
                  LoggingConfig: {LogGroup: !Ref PlainLogs}
              Own:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: pkg.Own::handleRequest
                  Timeout: 300
                  Environment:
                    Variables: {LEVEL: DEBUG}
            """);
        assertThat(t.functions()).containsExactly(
                new SamTemplate.Function("Plain", "pkg.Default::handleRequest", 60, java.util.Map.of("SHARED", "from-globals", "LEVEL", "INFO")),
                new SamTemplate.Function("Own", "pkg.Own::handleRequest", 300, java.util.Map.of("SHARED", "from-globals", "LEVEL", "DEBUG")));
        assertThat(t.properties("Plain").path("LoggingConfig")).isEqualTo(json("{\"LogFormat\":\"JSON\",\"LogGroup\":\"PlainLogs\"}"));
    }

    @Test
    void ignoreGlobals_leavesOutAllOrTheNamedGlobals() throws Exception {
        SamTemplate t = template("""
            Globals:
              Function: {Timeout: 60, MemorySize: 1024}
            Resources:
              None:
                Type: AWS::Serverless::Function
                IgnoreGlobals: '*'
                Properties: {Handler: h}
              NoTimeout:
                Type: AWS::Serverless::Function
                IgnoreGlobals: [Timeout]
                Properties: {Handler: h}
            """);
        assertThat(t.properties("None")).isEqualTo(json("{\"Handler\":\"h\"}"));
        assertThat(t.properties("NoTimeout")).isEqualTo(json("{\"MemorySize\":1024,\"Handler\":\"h\"}"));
    }

    @Test
    void aPropertySamDoesNotTakeInGlobals_isRefused_asSamRefusesTheTemplate() throws Exception {
        SamTemplate t = template("""
            Globals:
              Function:
                Policies: [AWSLambdaBasicExecutionRole]
            Resources:
              F:
                Type: AWS::Serverless::Function
                Properties: {Handler: h}
            """);
        assertThatThrownBy(t::functions).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Globals.Function.Policies: SAM does not take Policies in Globals");
    }

    @Test
    void otherResources_andTheirProperties_areAsWritten() throws Exception {
        SamTemplate t = template("""
            Globals:
              Function: {Timeout: 60}
            Resources:
              Bucket:
                Type: AWS::S3::Bucket
                Properties: {BucketName: b}
            """);
        assertThat(t.properties("Bucket")).isEqualTo(json("{\"BucketName\":\"b\"}"));
    }

    private SamTemplate template(String yaml) throws Exception {
        Path file = dir.resolve("template.yaml");
        Files.writeString(file, yaml);
        return SamTemplate.read(file);
    }
}
