package dev.pipeline.deploy.artifact;

import dev.pipeline.deploy.SampleWars;
import dev.pipeline.deploy.artifact.ArtifactRejectedException.Reason;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WarValidatorTest {
    private static final WarValidator DEFAULT = new WarValidator(WarLimits.DEFAULT);

    @Test
    void sampleApp_isAccepted_withTheSha256OfTheWholeFile() throws Exception {
        byte[] war = SampleWars.version("7");

        WarInspection result = DEFAULT.inspect(new ByteArrayInputStream(war) {
            boolean closed; // like a network stream: reading after close fails

            @Override
            public synchronized int read(byte[] b, int off, int len) {
                if (closed) throw new IllegalStateException("stream is closed");
                return super.read(b, off, len);
            }

            @Override
            public void close() { closed = true; }
        });

        assertThat(result.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(war)));
        assertThat(result.size()).isEqualTo(war.length);
        assertThat(result.entries()).isEqualTo(4); // index.html, version.txt, WEB-INF/health.jsp, WEB-INF/web.xml
    }

    @Test
    void sampleVersions_differInContent_andSoInSha256() {
        assertThat(DEFAULT.inspect(new ByteArrayInputStream(SampleWars.version("1"))).sha256())
                .isNotEqualTo(DEFAULT.inspect(new ByteArrayInputStream(SampleWars.version("2"))).sha256());
    }

    @Test
    void textFile_isRefused_asNotAZip() {
        assertRejected(DEFAULT, "<html>not a war</html>".getBytes(), Reason.NOT_A_ZIP, "not a zip");
    }

    @Test
    void emptyUpload_andZipWithNoEntries_areRefused_asEmpty() {
        assertRejected(DEFAULT, new byte[0], Reason.EMPTY, "empty");
        assertRejected(DEFAULT, SampleWars.zip(Map.of()), Reason.EMPTY, "no entries");
    }

    @Test
    void truncatedZip_isRefused() {
        byte[] war = SampleWars.zip(Map.of("WEB-INF/lib/big.bin", random(200_000)));
        assertRejected(DEFAULT, Arrays.copyOf(war, war.length / 2), Reason.NOT_A_ZIP, "zip");
    }

    @Test
    void zipWithoutWebInf_isRefused_asNotAWar() {
        assertRejected(DEFAULT, SampleWars.zip(Map.of("index.html", "hi".getBytes())), Reason.NOT_A_WAR, "WEB-INF/");
    }

    @Test
    void entriesEscapingTheApplication_areRefused() {
        for (String name : new String[]{"../../etc/cron.d/evil", "WEB-INF/../../x.jsp", "/etc/passwd", "..\\evil.jsp",
                "C:/Windows/evil.dll", "WEB-INF\\..\\..\\evil"}) {
            assertRejected(DEFAULT, SampleWars.warWith(name, "x".getBytes()), Reason.UNSAFE_PATH, "outside the application");
        }
    }

    @Test
    void namesThatOnlyLookOdd_areAccepted() {
        DEFAULT.inspect(new ByteArrayInputStream(SampleWars.warWith("css/a..b.css", "x".getBytes())));
        DEFAULT.inspect(new ByteArrayInputStream(SampleWars.warWith("über café+1.html", "x".getBytes())));
    }

    @Test
    void uploadOverTheSizeLimit_isRefused_whileReading() {
        WarValidator small = new WarValidator(new WarLimits(10_000, WarLimits.DEFAULT.maxUncompressedBytes(), 100, 0, 100));
        assertRejected(small, SampleWars.warWith("WEB-INF/lib/a.jar", random(20_000)), Reason.TOO_LARGE, "larger than");
    }

    @Test
    void contentInflatingPastTheLimit_isRefused() {
        WarValidator small = new WarValidator(new WarLimits(WarLimits.MIB * 10, 100_000, 1000, WarLimits.MIB, 100));
        assertRejected(small, SampleWars.warWith("WEB-INF/lib/a.jar", random(150_000)), Reason.ZIP_BOMB, "uncompressed");
    }

    @Test
    void entryDeclaringMoreThanTheLimit_isRefused_beforeInflating() {
        byte[] war = SampleWars.zip(new LinkedHashMap<>(Map.of("WEB-INF/web.xml", "<web-app/>".getBytes())));
        // the local header's uncompressed-size field (offset 22) now claims 3 GiB; sizes a DEFLATED entry declares
        // up front are only checked by the JDK after inflating, so the validator must look at them itself
        int storedSizes = war[6] & 0x08; // ZipOutputStream writes a data descriptor for deflated entries
        assertThat(storedSizes).as("fixture: sizes deferred to a data descriptor").isNotZero();
        war[6] &= ~0x08;
        war[22] = 0; war[23] = 0; war[24] = 0; war[25] = (byte) 0xC0;
        assertRejected(DEFAULT, war, Reason.ZIP_BOMB, "declares");
    }

    @Test
    void highlyCompressedContent_isRefused_asAZipBomb_withDefaultLimits() {
        byte[] bomb = SampleWars.warWith("WEB-INF/lib/zeros.jar", new byte[64 * 1024 * 1024]);
        assertThat(bomb.length).as("fixture: 64 MiB of zeros compress about 1000:1").isLessThan(200_000);
        assertRejected(DEFAULT, bomb, Reason.ZIP_BOMB, "times its size");
    }

    @Test
    void duplicateEntries_areRefused() {
        byte[] one = SampleWars.zip(Map.of("WEB-INF/web.xml", "a".getBytes()));
        // a zip with the same name twice: ZipOutputStream refuses to write one, so splice two local entries
        byte[] twice = spliceTwice(one);
        assertRejected(DEFAULT, twice, Reason.UNSAFE_PATH, "twice");
    }

    @Test
    void streamPastTheDefaultLimit_isRefused_withoutBeingHeldInMemory() throws Exception {
        // 600 MiB written on the fly into a 64 KiB pipe: the validator can only succeed at refusing it by streaming
        byte[] chunk = random(1024 * 1024);
        CRC32 crc = new CRC32();
        crc.update(chunk);
        PipedInputStream in = new PipedInputStream(64 * 1024);
        PipedOutputStream out = new PipedOutputStream(in);
        Thread writer = Thread.ofVirtual().start(() -> {
            try (ZipOutputStream zip = new ZipOutputStream(out)) {
                for (int i = 0; i < 600; i++) {
                    ZipEntry e = new ZipEntry("WEB-INF/lib/part-" + i + ".jar");
                    e.setMethod(ZipEntry.STORED);
                    e.setSize(chunk.length);
                    e.setCompressedSize(chunk.length);
                    e.setCrc(crc.getValue());
                    zip.putNextEntry(e);
                    zip.write(chunk);
                    zip.closeEntry();
                }
            } catch (IOException e) {
                // the validator stopped reading: expected
            }
        });

        assertThatThrownBy(() -> DEFAULT.inspect(in))
                .isInstanceOfSatisfying(ArtifactRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE))
                .hasMessageContaining(Long.toString(512 * WarLimits.MIB));
        in.close();
        writer.join(10_000);
    }

    private static int entryEnd(byte[] zip) {
        for (int i = 4; i < zip.length - 4; i++) {
            if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 3 && zip[i + 3] == 4) return i;
            if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 1 && zip[i + 3] == 2) return i;
        }
        throw new IllegalStateException();
    }

    private static byte[] spliceTwice(byte[] zip) {
        int end = entryEnd(zip);
        byte[] out = new byte[end * 2 + (zip.length - end)];
        System.arraycopy(zip, 0, out, 0, end);
        System.arraycopy(zip, 0, out, end, end);
        System.arraycopy(zip, end, out, end * 2, zip.length - end);
        return out;
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    private static void assertRejected(WarValidator validator, byte[] upload, Reason reason, String message) {
        assertThatThrownBy(() -> validator.inspect(new ByteArrayInputStream(upload)))
                .isInstanceOfSatisfying(ArtifactRejectedException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessageContaining(message);
    }
}
