package dev.pipeline.deploy.artifact;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Crafted WARs whose central directory (what Tomcat opens) is missing or disagrees with the local headers (what a
 * stream reads) are refused; honest ones, zip64 included, pass.
 */
class WarCentralDirectoryTest {
    private static final WarValidator VALIDATOR = new WarValidator(WarLimits.DEFAULT);

    @Test
    void honestWar_passes_andItsDirectoryListsItsEntriesInFileOrder() throws IOException {
        byte[] war = war("WEB-INF/web.xml", "index.jsp");

        WarInspection result = inspect(war);

        assertThat(result.entries()).isEqualTo(2);
        assertThat(CentralDirectory.of(war, WarLimits.DEFAULT).entries()).extracting(CentralDirectory.Entry::name)
                .containsExactly("WEB-INF/web.xml", "index.jsp");
    }

    @Test
    void warWithoutACentralDirectory_isRefused() throws IOException {
        byte[] war = war("WEB-INF/web.xml", "index.jsp");
        byte[] cut = Arrays.copyOf(war, directoryOffset(war)); // local entries only: what a stream still accepts

        assertThatThrownBy(() -> inspect(cut)).isInstanceOf(ArtifactRejectedException.class)
                .hasMessageContaining("no central directory")
                .satisfies(e -> assertThat(((ArtifactRejectedException) e).reason()).isEqualTo(ArtifactRejectedException.Reason.INCONSISTENT_ZIP));
    }

    @Test
    void directoryNamingAnEntryOtherwise_isRefused_namingBoth() throws IOException {
        byte[] war = war("WEB-INF/web.xml", "index.jsp");
        replaceInDirectory(war, "index.jsp", "evil0.jsp");

        assertThatThrownBy(() -> inspect(war)).isInstanceOf(ArtifactRejectedException.class)
                .hasMessageContaining("entry 2 disagrees").hasMessageContaining("\"evil0.jsp\"").hasMessageContaining("\"index.jsp\"");
    }

    @Test
    void directoryWithAnotherCrcOrMethod_isRefused() throws IOException {
        byte[] crc = war("WEB-INF/web.xml", "index.jsp");
        int at = directoryOffset(crc);
        crc[at + 16] ^= 0x5a; // first entry's CRC in the directory

        byte[] method = war("WEB-INF/web.xml", "index.jsp");
        method[directoryOffset(method) + 10] = 0; // deflated (8) -> stored (0)

        assertThatThrownBy(() -> inspect(crc)).hasMessageContaining("entry 1 disagrees").hasMessageContaining("CRC");
        assertThatThrownBy(() -> inspect(method)).hasMessageContaining("compression method 0, its local header 8");
    }

    @Test
    void directoryHidingAnEntry_isRefused() throws IOException {
        byte[] war = war("WEB-INF/web.xml", "index.jsp");
        int eocd = war.length - 22;
        int first = directoryOffset(war);
        int firstLength = 46 + u16(war, first + 28) + u16(war, first + 30) + u16(war, first + 32);
        war[eocd + 8] = 1; // entries on this disk
        war[eocd + 10] = 1; // total entries
        war[eocd + 12] = (byte) firstLength; // directory size: the directory now ends after the first entry
        war[eocd + 13] = (byte) (firstLength >> 8);
        war[eocd + 14] = 0;
        war[eocd + 15] = 0;

        assertThatThrownBy(() -> inspect(war)).hasMessageContaining("lists 1 entries, but the file holds 2");
    }

    @Test
    void zip64War_isReadThroughItsZip64Record() throws IOException {
        // more than 65 535 entries: ZipOutputStream writes the zip64 end record and locator
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("WEB-INF/web.xml"));
            zip.write("<web-app/>".getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 65_600; i++) zip.putNextEntry(new ZipEntry("s/" + i));
        }
        byte[] war = bytes.toByteArray();

        assertThat(CentralDirectory.of(war, WarLimits.DEFAULT).entries()).hasSize(65_601);
        assertThat(inspect(war).entries()).isEqualTo(65_601);
    }

    private static WarInspection inspect(byte[] war) {
        return VALIDATOR.inspect(new ByteArrayInputStream(war), CentralDirectory.of(war, WarLimits.DEFAULT));
    }

    private static byte[] war(String... names) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (String name : names) {
                zip.putNextEntry(new ZipEntry(name));
                zip.write(("content of " + name + " ".repeat(200)).getBytes(StandardCharsets.UTF_8));
            }
        }
        return bytes.toByteArray();
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8;
    }

    /** The directory's offset, from the end record of a zip without a comment. */
    private static int directoryOffset(byte[] zip) {
        int eocd = zip.length - 22;
        return (zip[eocd + 16] & 0xff) | (zip[eocd + 17] & 0xff) << 8 | (zip[eocd + 18] & 0xff) << 16 | (zip[eocd + 19] & 0xff) << 24;
    }

    /** Renames an entry in the directory only (same length), leaving its local header as it was. */
    private static void replaceInDirectory(byte[] zip, String from, String to) {
        byte[] f = from.getBytes(StandardCharsets.UTF_8);
        byte[] t = to.getBytes(StandardCharsets.UTF_8);
        for (int i = directoryOffset(zip); i + f.length <= zip.length; i++) {
            if (Arrays.equals(zip, i, i + f.length, f, 0, f.length)) {
                System.arraycopy(t, 0, zip, i, t.length);
                return;
            }
        }
        throw new AssertionError(from + " not in the directory");
    }
}
