package dev.pipeline.deploy.artifact;

import dev.pipeline.deploy.artifact.ArtifactRejectedException.Reason;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A zip's central directory, read the way java.util.zip.ZipFile (and so Tomcat) opens a WAR: from the end of the
 * file, by ranged reads, never the whole object. The end-of-central-directory record is searched in the last
 * 65,557 bytes (22 bytes plus the longest comment); a zip64 locator just before it leads to the zip64 record, whose
 * 64-bit count, size and offset then apply (PKWARE APPNOTE 4.3.14-4.3.16). Entries are kept in local-header
 * order, so they can be compared one to one with what a stream of the local headers finds. Pure given its reader.
 */
public record CentralDirectory(List<Entry> entries) {

    /** Reads {@code length} bytes of the object from {@code offset}. */
    @FunctionalInterface
    public interface RangeReader {
        byte[] read(long offset, int length);
    }

    /** One entry as the directory describes it. */
    public record Entry(String name, int method, long crc, long compressedSize, long size, long localHeaderOffset) {}

    private static final int EOCD = 0x06054b50;
    private static final int ZIP64_LOCATOR = 0x07064b50;
    private static final int ZIP64_EOCD = 0x06064b50;
    private static final int CENTRAL_HEADER = 0x02014b50;
    private static final int EOCD_SIZE = 22;
    private static final int MAX_COMMENT = 0xffff;
    /** A directory larger than this is refused before it is read: 100 000 entries of ordinary names fit easily. */
    static final long MAX_DIRECTORY_BYTES = 64L * 1024 * 1024;

    public CentralDirectory {
        entries = List.copyOf(entries);
    }

    /** The directory of an object of {@code size} bytes; refuses a zip whose directory is missing or malformed. */
    public static CentralDirectory read(RangeReader reader, long size, WarLimits limits) {
        int tailLength = (int) Math.min(size, EOCD_SIZE + MAX_COMMENT + 20L);
        long tailStart = size - tailLength;
        byte[] tail = reader.read(tailStart, tailLength);
        int at = -1;
        for (int i = tail.length - EOCD_SIZE; i >= 0; i--) {
            // the record's comment must run exactly to the end of the file, or this is a signature inside data
            if (u32(tail, i) == EOCD && u16(tail, i + 20) == tail.length - i - EOCD_SIZE) {
                at = i;
                break;
            }
        }
        if (at < 0) {
            byte[] head = reader.read(0, (int) Math.min(4, size));
            if (head.length < 4 || u32(head, 0) != 0x04034b50) {
                throw new ArtifactRejectedException(Reason.NOT_A_ZIP, "the upload is not a zip file (a WAR is a zip; it starts with PK)");
            }
            throw refused("the upload has no central directory (no end-of-central-directory record at its end); "
                    + "Tomcat opens a WAR through it, so this one would not deploy as validated");
        }
        long total = u16(tail, at + 10);
        long dirSize = u32(tail, at + 12) & 0xffffffffL;
        long dirOffset = u32(tail, at + 16) & 0xffffffffL;
        long directoryEnd = tailStart + at;
        if (u16(tail, at + 4) != 0 || u16(tail, at + 6) != 0) throw refused("the upload is a multi-disk (split) zip");
        if (at >= 20 && u32(tail, at - 20) == ZIP64_LOCATOR) {
            long zip64At = u64(tail, at - 20 + 8);
            if (zip64At < 0 || zip64At + 56 > size) throw refused("the upload's zip64 locator points outside the file");
            byte[] record = reader.read(zip64At, 56);
            if (u32(record, 0) != ZIP64_EOCD) throw refused("the upload's zip64 locator does not point at a zip64 record");
            total = u64(record, 32);
            dirSize = u64(record, 40);
            dirOffset = u64(record, 48);
            directoryEnd = zip64At;
        }
        if (total > limits.maxEntries()) {
            throw new ArtifactRejectedException(Reason.ZIP_BOMB, "the upload's central directory lists " + total
                    + " entries, more than " + limits.maxEntries());
        }
        if (dirSize < 0 || dirOffset < 0 || dirOffset + dirSize > directoryEnd || dirSize > MAX_DIRECTORY_BYTES) {
            throw refused("the upload's central directory (" + dirSize + " bytes at " + dirOffset + ") does not fit in the file");
        }
        byte[] dir = reader.read(dirOffset, (int) dirSize);
        List<Entry> entries = new ArrayList<>();
        int p = 0;
        while (p + 46 <= dir.length && u32(dir, p) == CENTRAL_HEADER) {
            int method = u16(dir, p + 10);
            long crc = u32(dir, p + 16) & 0xffffffffL;
            long csize = u32(dir, p + 20) & 0xffffffffL;
            long usize = u32(dir, p + 24) & 0xffffffffL;
            int nameLength = u16(dir, p + 28);
            int extraLength = u16(dir, p + 30);
            int commentLength = u16(dir, p + 32);
            long offset = u32(dir, p + 42) & 0xffffffffL;
            if (p + 46 + nameLength + extraLength + commentLength > dir.length) throw refused("the upload's central directory is truncated");
            String name = new String(dir, p + 46, nameLength, StandardCharsets.UTF_8);
            // zip64 extended information (header id 1): 8-byte values for the fields that read 0xFFFFFFFF, in this order
            int e = p + 46 + nameLength;
            int extraEnd = e + extraLength;
            while (e + 4 <= extraEnd) {
                int id = u16(dir, e);
                int len = u16(dir, e + 2);
                if (id == 1) {
                    int q = e + 4;
                    if (usize == 0xffffffffL && q + 8 <= e + 4 + len) { usize = u64(dir, q); q += 8; }
                    if (csize == 0xffffffffL && q + 8 <= e + 4 + len) { csize = u64(dir, q); q += 8; }
                    if (offset == 0xffffffffL && q + 8 <= e + 4 + len) { offset = u64(dir, q); }
                }
                e += 4 + len;
            }
            entries.add(new Entry(name, method, crc, csize, usize, offset));
            p += 46 + nameLength + extraLength + commentLength;
        }
        if (entries.size() != total) {
            throw refused("the upload's central directory says " + total + " entries but holds " + entries.size());
        }
        entries.sort(Comparator.comparingLong(Entry::localHeaderOffset));
        for (int i = 1; i < entries.size(); i++) {
            if (entries.get(i).localHeaderOffset() == entries.get(i - 1).localHeaderOffset()) {
                throw refused("the upload's central directory points two entries (\"" + entries.get(i - 1).name() + "\", \""
                        + entries.get(i).name() + "\") at one local header");
            }
        }
        return new CentralDirectory(entries);
    }

    /** The directory of a zip held in memory (tests, and the local tooling). */
    public static CentralDirectory of(byte[] zip, WarLimits limits) {
        return read((offset, length) -> java.util.Arrays.copyOfRange(zip, (int) offset, (int) offset + length), zip.length, limits);
    }

    private static ArtifactRejectedException refused(String detail) {
        return new ArtifactRejectedException(Reason.INCONSISTENT_ZIP, detail);
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8;
    }

    private static int u32(byte[] b, int i) {
        return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff) << 16 | (b[i + 3] & 0xff) << 24;
    }

    private static long u64(byte[] b, int i) {
        return (u32(b, i) & 0xffffffffL) | ((long) u32(b, i + 4)) << 32;
    }
}
