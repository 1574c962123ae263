package eu.massbalance.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;

/**
 * Passwords by name, made at random on first use and kept in a file only its owner may read: the
 * local stack's stand-in for a secret store. Nothing of it is in the repository.
 */
public final class Secrets {

    private final Path file;
    private final String title;
    private final Properties values = new Properties();

    private Secrets(Path file, String title) {
        this.file = file;
        this.title = title;
    }

    static Secrets at(Path file, String title) {
        Secrets secrets = new Secrets(file, title);
        if (Files.exists(file)) {
            try (var in = Files.newBufferedReader(file)) {
                secrets.values.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return secrets;
    }

    public synchronized String password(String name) {
        String password = values.getProperty(name);
        if (password == null) {
            byte[] random = new byte[18];
            new SecureRandom().nextBytes(random);
            password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            values.setProperty(name, password);
            try {
                Files.createDirectories(file.getParent());
                if (!Files.exists(file)) {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                }
                try (var out = Files.newBufferedWriter(file)) {
                    values.store(out, title);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return password;
    }

    public Path file() {
        return file;
    }
}
