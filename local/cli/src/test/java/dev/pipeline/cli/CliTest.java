package dev.pipeline.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CliTest {
    private final Cli cli = Cli.standard();

    private Cli.Invocation.Run run(String... args) {
        return (Cli.Invocation.Run) cli.parse(List.of(args));
    }

    @Test
    void parse_resolvesTwoWordCommand_withPortAfterIt() {
        Cli.Invocation.Run r = run("local", "start", "--port", "5123");

        assertThat(r.command().name()).isEqualTo("local start");
        assertThat(r.options().intValue("port", 1, 65535)).isEqualTo(5123);
    }

    @Test
    void parse_acceptsEqualsForm() {
        assertThat(run("local", "stop", "--port=5124").options().intValue("port", 1, 65535)).isEqualTo(5124);
    }

    @Test
    void parse_usesDefaultPort4566_whenNoneGiven() {
        assertThat(run("local", "status").options().intValue("port", 1, 65535)).isEqualTo(4566);
        assertThat(run("demo").options().intValue("port", 0, 65535)).isZero();
    }

    @Test
    void parse_readsSwitches_andValues() {
        Cli.Invocation.Run demo = run("demo", "--aws");
        Cli.Invocation.Run bench = run("bench", "local-cloud", "--calls", "50", "--out", "x.md");

        assertThat(demo.options().flag("aws")).isTrue();
        assertThat(run("demo").options().flag("aws")).isFalse();
        assertThat(bench.options().intValue("calls", 1, 1000)).isEqualTo(50);
        assertThat(bench.options().value("out")).contains("x.md");
        assertThat(run("bench", "local-cloud").options().value("out")).contains("docs/benchmarks/local-cloud.md");
    }

    @Test
    void parse_rejectsUnknownOption_andNamesIt() {
        assertThatThrownBy(() -> cli.parse(List.of("local", "start", "--prot", "5")))
                .isInstanceOf(UsageException.class)
                .hasMessage("unknown option '--prot'")
                .extracting(e -> ((UsageException) e).topic()).isEqualTo("local start");
    }

    @Test
    void parse_rejectsUnknownCommand_andUnknownSubcommand() {
        assertThatThrownBy(() -> cli.parse(List.of("ship"))).hasMessage("unknown command 'ship'");
        assertThatThrownBy(() -> cli.parse(List.of("local", "restart")))
                .hasMessage("unknown command 'local restart'")
                .extracting(e -> ((UsageException) e).topic()).isEqualTo("local");
    }

    @Test
    void parse_rejectsMissingValue_strayArgument_repeatedOption_andValueOnSwitch() {
        assertThatThrownBy(() -> cli.parse(List.of("local", "start", "--port"))).hasMessageContaining("--port needs a value");
        assertThatThrownBy(() -> cli.parse(List.of("local", "start", "--port", "--port"))).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> cli.parse(List.of("demo", "now"))).hasMessage("unexpected argument 'now'");
        assertThatThrownBy(() -> cli.parse(List.of("demo", "--port", "1", "--port", "2"))).hasMessage("option --port given twice");
        assertThatThrownBy(() -> cli.parse(List.of("demo", "--aws=yes"))).hasMessage("option --aws takes no value");
    }

    @Test
    void parse_fillsArguments_inOrder_aroundOptions() {
        Cli.Invocation.Run deploy = run("deploy", "--key", "releases/x.war", "build/app.war", "--json");
        Cli.Invocation.Run rollbackTo = run("rollback", "20261125T140000000000Z#up-1");

        assertThat(deploy.options().argument(0)).contains("build/app.war");
        assertThat(deploy.options().value("key")).contains("releases/x.war");
        assertThat(deploy.options().flag("json")).isTrue();
        assertThat(rollbackTo.options().argument(0)).contains("20261125T140000000000Z#up-1");
        assertThat(run("rollback").options().argument(0)).isEmpty();
    }

    @Test
    void parse_rejectsAMissingRequiredArgument_andOneTooMany() {
        assertThatThrownBy(() -> cli.parse(List.of("deploy", "--json"))).isInstanceOf(UsageException.class)
                .hasMessage("missing argument WAR");
        assertThatThrownBy(() -> cli.parse(List.of("rollback", "r1", "r2"))).hasMessage("unexpected argument 'r2'");
        assertThat(cli.help("deploy")).startsWith("Usage: ./pipeline deploy WAR [--key KEY]");
        assertThat(cli.help("rollback")).startsWith("Usage: ./pipeline rollback [RELEASE] [--poll SECONDS]");
    }

    @Test
    void deploy_exits2_withOneLine_whenTheWarCannotBeRead_orTheKeyWouldNotDeploy(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path war = java.nio.file.Files.writeString(dir.resolve("app.war"), "not really a war");
        String missing = dir.resolve("nope.war").toString();

        Outcome gone = main("deploy", missing);
        Outcome folder = main("deploy", dir.toString());
        Outcome badKey = main("deploy", war.toString(), "--key", "uploads/app.war");

        assertThat(gone.code()).isEqualTo(Main.USAGE);
        assertThat(gone.err().lines().findFirst()).contains("pipeline: cannot read WAR '" + missing + "': no such file");
        assertThat(folder.err().lines().findFirst()).contains("pipeline: cannot read WAR '" + dir + "': not a file");
        assertThat(badKey.code()).isEqualTo(Main.USAGE);
        assertThat(badKey.err()).startsWith("pipeline: the key must be releases/<name>.war (only those start a deploy), not 'uploads/app.war'");
        assertThat(gone.out() + folder.out() + badKey.out()).isEmpty();
    }

    private record Outcome(int code, String out, String err) {}

    private static Outcome main(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Main.run(args, new CliContext(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new Workspace(Path.of("."))));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void intValue_rejectsPortOutOfRange_andNonNumbers() {
        assertThatThrownBy(() -> run("local", "start", "--port", "0").options().intValue("port", 1, 65535))
                .isInstanceOf(UsageException.class).hasMessageContaining("from 1 to 65535, not '0'");
        assertThatThrownBy(() -> run("local", "start", "--port", "http").options().intValue("port", 1, 65535))
                .hasMessageContaining("not 'http'");
    }

    @Test
    void everyCommand_hasHelp_listingItsOptions() {
        for (Command c : cli.commands()) {
            List<String> args = new java.util.ArrayList<>(List.of(c.name().split(" ")));
            args.add("--help");

            Cli.Invocation i = cli.parse(args);

            assertThat(i).isInstanceOf(Cli.Invocation.Help.class);
            Cli.Invocation.Help h = (Cli.Invocation.Help) i;
            assertThat(h.exitCode()).isZero();
            assertThat(h.text()).startsWith("Usage: ./pipeline " + c.name()).contains("--help");
            c.options().forEach(o -> assertThat(h.text()).contains(o.synopsis()));
        }
    }

    @Test
    void helpWins_overBadOptions_andTopLevelHelp_listsEveryCommand() {
        assertThat(cli.parse(List.of("local", "start", "--bogus", "--help"))).isInstanceOf(Cli.Invocation.Help.class);
        Cli.Invocation.Help top = (Cli.Invocation.Help) cli.parse(List.of("--help"));
        cli.commands().forEach(c -> assertThat(top.text()).contains(c.name()));
        assertThat(top.text()).contains("test");
        assertThat(((Cli.Invocation.Help) cli.parse(List.of("help", "local", "stop"))).text()).startsWith("Usage: ./pipeline local stop");
    }

    @Test
    void groupWithoutSubcommand_showsGroupUsage_asAnError() {
        Cli.Invocation.Help h = (Cli.Invocation.Help) cli.parse(List.of("local"));

        assertThat(h.exitCode()).isEqualTo(2);
        assertThat(h.text()).contains("local start", "local stop", "local status").doesNotContain("bench");
    }

    @Test
    void main_exits2_withOneLineAndTheCommandsUsage_onUnknownOption() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        CliContext ctx = new CliContext(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new Workspace(Path.of(".")));

        int code = Main.run(new String[] {"local", "status", "--verbose"}, ctx);

        String[] lines = err.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(code).isEqualTo(2);
        assertThat(lines[0]).isEqualTo("pipeline: unknown option '--verbose'");
        assertThat(lines[2]).isEqualTo("Usage: ./pipeline local status [--port N]");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
