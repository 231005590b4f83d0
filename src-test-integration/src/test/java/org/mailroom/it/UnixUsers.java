package org.mailroom.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Throw-away Unix accounts for tests that must act as another user of the host (issue 8: the
 * sender's identity comes from the kernel). Needs root (.ci/run runs the tests as root); every
 * account made here is removed again by {@link #close}, home directory included.
 */
final class UnixUsers implements AutoCloseable {
    private final List<String> made = new ArrayList<>();

    static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** {@code useradd -m -s /bin/sh name}, after removing a leftover of an earlier, killed run. */
    String add(String name) throws Exception {
        if (run("id", "-u", name).exit == 0) run("userdel", "-r", name);
        Result r = run("useradd", "-m", "-s", "/bin/sh", name);
        if (r.exit != 0) throw new IllegalStateException("useradd " + name + ": " + r.out);
        made.add(name);
        return name;
    }

    /**
     * The test class path, readable by every user: the entries (in /root/.m2 and the build's
     * target directories, which another user cannot traverse) linked or copied under {@code dir}.
     */
    static String publicClassPath(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<String> out = new ArrayList<>();
        int i = 0;
        for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path src = Path.of(e);
            if (!Files.exists(src)) continue;
            Path dst = dir.resolve(i++ + "-" + src.getFileName());
            if (Files.isDirectory(src)) {
                try (Stream<Path> s = Files.walk(src)) {
                    for (Path p : (Iterable<Path>) s::iterator) {
                        Path t = dst.resolve(src.relativize(p).toString());
                        if (Files.isDirectory(p)) Files.createDirectories(t);
                        else Files.copy(p, t);
                    }
                }
            } else {
                Files.copy(src, dst);
            }
            out.add(dst.toString());
        }
        openTree(dir);
        return String.join(java.io.File.pathSeparator, out);
    }

    /** Directories 0755 and files 0644 under {@code dir}, and every parent directory traversable. */
    static void openTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        openParents(dir);
    }

    /** o+x on every directory from {@code p} up to /tmp (JUnit's @TempDir is 0700). */
    static void openParents(Path p) throws IOException {
        for (Path d = p.toAbsolutePath(); d != null && !d.toString().equals("/tmp") && !d.toString().equals("/"); d = d.getParent()) {
            var perms = Files.getPosixFilePermissions(d);
            perms.add(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE);
            perms.add(java.nio.file.attribute.PosixFilePermission.GROUP_EXECUTE);
            Files.setPosixFilePermissions(d, perms);
        }
    }

    record Result(int exit, String out) {}

    /** Runs {@code cmd} as {@code user} ({@code runuser -u user --}), stdin given, output and exit code back. */
    static Result runAs(String user, String stdin, List<String> cmd) throws Exception {
        List<String> full = new ArrayList<>(List.of("runuser", "-u", user, "--"));
        full.addAll(cmd);
        Process p = new ProcessBuilder(full).redirectErrorStream(true).directory(new java.io.File("/")).start();
        try (var o = p.getOutputStream()) {
            o.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("did not finish: " + full);
        }
        return new Result(p.exitValue(), out);
    }

    static Result run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        return new Result(p.exitValue(), out);
    }

    @Override
    public void close() throws Exception {
        made.sort(Comparator.reverseOrder());
        for (String u : made) run("userdel", "-r", u);
        made.clear();
    }
}
