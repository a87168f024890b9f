package dev.pipeline.cli.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code .pipeline/local-<port>.pid}: the process id of the {@code local serve} JVM on that port. Written by
 * that JVM once it serves, removed when it stops; a stale file (process gone, or the pid reused by another
 * program) is ignored, so nothing is ever signalled by mistake.
 */
public record PidFile(Path path) {

    public void write(long pid) throws IOException {
        Files.createDirectories(path.getParent());
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        Files.writeString(tmp, pid + "\n");
        Files.move(tmp, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    public Optional<Long> read() {
        try {
            return Optional.of(Long.parseLong(Files.readString(path).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The live {@code local serve} process the file names, if there is one. */
    public Optional<ProcessHandle> liveServer() {
        return read().flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive).filter(PidFile::isLocalServe);
    }

    public void delete() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // a pid file that cannot be removed is stale at worst; liveServer() checks the process
        }
    }

    /** Removes the file only if it still names {@code pid} (a newer server may have taken the port since). */
    public void deleteIfOwnedBy(long pid) {
        if (read().filter(p -> p == pid).isPresent()) delete();
    }

    private static boolean isLocalServe(ProcessHandle p) {
        // the pid may have been reused since the file was written: only a JVM running our serve command counts
        return p.info().commandLine().map(c -> c.contains("dev.pipeline.cli.Main") && c.contains("serve"))
                .orElse(p.info().command().map(c -> c.endsWith("java")).orElse(false));
    }
}
