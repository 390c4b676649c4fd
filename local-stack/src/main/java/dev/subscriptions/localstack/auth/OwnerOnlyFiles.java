package dev.subscriptions.localstack.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files only their owner may read (mode 600, in a directory of mode 700), for the signing
 * key and the client secrets.
 */
final class OwnerOnlyFiles {

	private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

	private OwnerOnlyFiles() {
	}

	/**
	 * Writes {@code content} to {@code file} through a sibling that is owner-only from
	 * its creation, so that the secret is never readable by others, not even for a
	 * moment.
	 */
	static void write(Path file, String content) {
		try {
			Path directory = file.toAbsolutePath().getParent();
			if (!Files.isDirectory(directory)) {
				Files.createDirectories(directory, permissions("rwx------"));
			}
			Path temporary = Files.createTempFile(directory, file.getFileName().toString(), ".tmp",
					permissions("rw-------"));
			Files.writeString(temporary, content, StandardCharsets.UTF_8);
			Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write " + file, ex);
		}
	}

	static String read(Path file) {
		try {
			return Files.readString(file, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read " + file, ex);
		}
	}

	private static FileAttribute<?>[] permissions(String permissions) {
		if (!POSIX) {
			return new FileAttribute<?>[0];
		}
		Set<PosixFilePermission> posix = PosixFilePermissions.fromString(permissions);
		return new FileAttribute<?>[] { PosixFilePermissions.asFileAttribute(posix) };
	}

}
