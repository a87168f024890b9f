package dev.pipeline.deploy.artifact;

import dev.pipeline.deploy.artifact.ArtifactRejectedException.Reason;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.ArrayList;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Decides whether a byte stream is a WAR safe to deploy, and computes its sha256, in one pass and bounded memory
 * (a 64 KiB buffer plus the entry names): the WAR is never held in memory or on disk. Pure; the same bytes always
 * give the same verdict.
 *
 * <p>Inflated sizes are counted as the entries are read rather than trusted from the headers: a bomb's headers can
 * declare anything, and a streamed zip (data descriptors) declares nothing up front. Declared sizes are checked too,
 * so an honest bomb is refused before any of it is inflated.
 *
 * <p>Tomcat (java.util.zip.ZipFile) opens a WAR through its central directory, while this pass reads the local
 * headers: so the directory ({@link CentralDirectory}, read from the object's end) must list exactly the entries
 * streamed here, in the same order, with the same name, compression method, CRC and sizes. Otherwise a crafted zip
 * would be judged by names and contents Tomcat never uses.
 */
public final class WarValidator {
    private static final int LOCAL_HEADER = 0x04034b50; // "PK\3\4", little-endian
    private static final int END_OF_DIRECTORY = 0x06054b50; // "PK\5\6": a zip with no entries

    private final WarLimits limits;

    public WarValidator(WarLimits limits) { this.limits = limits; }

    /**
     * Reads {@code in} to its end and checks its entries against {@code directory}; returns the inspection or throws
     * {@link ArtifactRejectedException}.
     */
    public WarInspection inspect(InputStream in, CentralDirectory directory) {
        return inspect(in, java.util.Objects.requireNonNull(directory, "directory"), true);
    }

    /** The checks of the stream alone (tests of those checks); a deploy always passes the directory. */
    WarInspection inspect(InputStream in) {
        return inspect(in, null, false);
    }

    private WarInspection inspect(InputStream in, CentralDirectory directory, boolean checkDirectory) {
        Hashing raw = new Hashing(in, limits.maxBytes());
        try {
            byte[] head = raw.readNBytes(4);
            if (head.length == 0) throw new ArtifactRejectedException(Reason.EMPTY, "the upload is empty (0 bytes)");
            int signature = head.length < 4 ? 0 : (head[0] & 0xff) | (head[1] & 0xff) << 8 | (head[2] & 0xff) << 16 | (head[3] & 0xff) << 24;
            if (signature == END_OF_DIRECTORY) throw new ArtifactRejectedException(Reason.EMPTY, "the upload is a zip with no entries");
            if (signature != LOCAL_HEADER) {
                throw new ArtifactRejectedException(Reason.NOT_A_ZIP, "the upload is not a zip file (a WAR is a zip; it starts with PK)");
            }
            // SequenceInputStream closes a part it has read to the end; raw must stay open for the drain below
            InputStream unclosable = new FilterInputStream(raw) {
                @Override
                public void close() {}
            };
            Totals totals = readEntries(new ZipInputStream(new SequenceInputStream(new ByteArrayInputStream(head), unclosable)), raw);
            if (checkDirectory) compare(directory, totals.local());
            // the central directory and anything after it: part of the object, so part of its sha256
            raw.transferTo(OutputStream.nullOutputStream());
            if (!totals.webInf) {
                throw new ArtifactRejectedException(Reason.NOT_A_WAR, "the upload has no WEB-INF/ directory, so it is not a web application");
            }
            return new WarInspection(raw.count, HexFormat.of().formatHex(raw.sha256.digest()), totals.entries, totals.inflated);
        } catch (ZipException e) {
            throw new ArtifactRejectedException(Reason.NOT_A_ZIP, "the upload is not a readable zip: " + e.getMessage(), e);
        } catch (EOFException e) {
            // the inflater ran out of input inside an entry: a truncated upload (a dropped connection is not an EOF)
            throw new ArtifactRejectedException(Reason.NOT_A_ZIP, "the upload is a truncated zip: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the upload failed", e);
        }
    }

    private record Totals(int entries, long inflated, boolean webInf, List<CentralDirectory.Entry> local) {}

    /** The directory must describe the local entries one to one, in file order. */
    static void compare(CentralDirectory directory, List<CentralDirectory.Entry> local) {
        List<CentralDirectory.Entry> listed = directory.entries();
        for (int i = 0; i < Math.min(listed.size(), local.size()); i++) {
            CentralDirectory.Entry d = listed.get(i);
            CentralDirectory.Entry l = local.get(i);
            String what = null;
            if (!d.name().equals(l.name())) what = "name \"" + d.name() + "\", its local header \"" + l.name() + "\"";
            else if (d.method() != l.method()) what = "compression method " + d.method() + ", its local header " + l.method();
            else if (d.crc() != l.crc()) what = "CRC " + Long.toHexString(d.crc()) + ", its data " + Long.toHexString(l.crc());
            else if (d.size() != l.size() || d.compressedSize() != l.compressedSize()) {
                what = "sizes " + d.compressedSize() + "/" + d.size() + ", its data " + l.compressedSize() + "/" + l.size();
            }
            if (what != null) {
                throw new ArtifactRejectedException(Reason.INCONSISTENT_ZIP, "entry " + (i + 1) + " disagrees with itself: the "
                        + "central directory (what Tomcat reads) says " + what);
            }
        }
        if (listed.size() != local.size()) {
            throw new ArtifactRejectedException(Reason.INCONSISTENT_ZIP, "the central directory (what Tomcat reads) lists "
                    + listed.size() + " entries, but the file holds " + local.size());
        }
    }

    private Totals readEntries(ZipInputStream zip, Hashing raw) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        Set<String> names = new HashSet<>();
        List<CentralDirectory.Entry> local = new ArrayList<>();
        long inflated = 0;
        boolean webInf = false;
        ZipEntry entry;
        while ((entry = zip.getNextEntry()) != null) {
            String name = entry.getName();
            checkPath(name);
            if (!names.add(name)) throw new ArtifactRejectedException(Reason.UNSAFE_PATH, "the upload holds \"" + name + "\" twice");
            if (names.size() > limits.maxEntries()) {
                throw new ArtifactRejectedException(Reason.ZIP_BOMB, "the upload has more than " + limits.maxEntries() + " entries");
            }
            if (name.startsWith("WEB-INF/")) webInf = true;
            if (entry.getSize() > limits.maxUncompressedBytes() - inflated) {
                throw tooBig("declares " + entry.getSize() + " bytes for \"" + name + "\"");
            }
            int n;
            while ((n = zip.read(buffer)) > 0) {
                inflated += n;
                if (inflated > limits.maxUncompressedBytes()) throw tooBig("inflates past the limit at \"" + name + "\"");
                if (inflated > limits.ratioFloorBytes() && inflated / Math.max(1, raw.count) > limits.maxRatio()) {
                    throw new ArtifactRejectedException(Reason.ZIP_BOMB, "the upload inflates more than " + limits.maxRatio()
                            + " times its size (" + inflated + " bytes from " + raw.count + " read, at \"" + name + "\")");
                }
            }
            // read to its end: CRC and sizes are now the entry's own (from a data descriptor if it had one)
            local.add(new CentralDirectory.Entry(name, entry.getMethod(), entry.getCrc(), entry.getCompressedSize(), entry.getSize(), -1));
        }
        if (names.isEmpty()) throw new ArtifactRejectedException(Reason.EMPTY, "the upload is a zip with no entries");
        return new Totals(names.size(), inflated, webInf, local);
    }

    private ArtifactRejectedException tooBig(String what) {
        return new ArtifactRejectedException(Reason.ZIP_BOMB, "the upload " + what + ": more than "
                + limits.maxUncompressedBytes() + " bytes uncompressed is refused");
    }

    /** Entry names Tomcat or an unzip would resolve outside the application directory. */
    static void checkPath(String name) {
        boolean unsafe = name.isEmpty()
                || name.startsWith("/") || name.startsWith("\\")
                || name.matches("^[A-Za-z]:.*") // a Windows drive
                || name.indexOf('\0') >= 0;
        for (String segment : name.split("[/\\\\]")) {
            if (segment.equals("..")) unsafe = true;
        }
        if (unsafe) {
            throw new ArtifactRejectedException(Reason.UNSAFE_PATH, "the upload has an entry \"" + name.replace("\0", "\\0")
                    + "\" that points outside the application (absolute or with ..)");
        }
    }

    /**
     * Counts and hashes every raw byte, and refuses past the size limit whatever the object's metadata said.
     * {@code skip} reads too, so no byte can bypass the hash.
     */
    private static final class Hashing extends FilterInputStream {
        private final long max;
        final MessageDigest sha256;
        long count;

        Hashing(InputStream in, long max) {
            super(in);
            this.max = max;
            try {
                this.sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JVM has SHA-256", e);
            }
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                sha256.update((byte) b);
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                sha256.update(b, off, n);
                add(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] discard = new byte[(int) Math.min(8192, Math.max(0, n))];
            long skipped = 0;
            while (skipped < n) {
                int r = read(discard, 0, (int) Math.min(discard.length, n - skipped));
                if (r < 0) break;
                skipped += r;
            }
            return skipped;
        }

        @Override
        public boolean markSupported() { return false; }

        private void add(int n) {
            count += n;
            if (count > max) {
                throw new ArtifactRejectedException(Reason.TOO_LARGE, "the upload is larger than the limit of " + max + " bytes");
            }
        }
    }
}
