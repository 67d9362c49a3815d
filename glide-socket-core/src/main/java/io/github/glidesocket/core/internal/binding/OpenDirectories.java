package io.github.glidesocket.core.internal.binding;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

import org.jspecify.annotations.Nullable;

/**
 * Paths that reach a directory this process holds open, whatever happens to its name.
 * <p>
 * On Linux, {@code /proc/self/fd/N} names the file that descriptor {@code N} has open; as the
 * leading part of a path ({@code /proc/self/fd/N/s}) the kernel resolves it to that very
 * directory, not to whatever its name now leads to. Java does not tell which descriptor a
 * directory stream holds, so the descriptors are listed and the one whose directory has the
 * expected file key is taken: one {@code stat} per open descriptor, in ascending order, and the
 * kernel gives a new descriptor the lowest free number.
 */
final class OpenDirectories {

	private static final Path DESCRIPTORS = Path.of("/proc/self/fd");

	private OpenDirectories() {
	}

	/**
	 * A path through {@code /proc/self/fd} that reaches the open directory with this key.
	 * @param directoryKey the file key of a directory this process holds open
	 * @return the path, or {@code null} if there is no such descriptor or no {@code /proc}
	 */
	static @Nullable Path descriptorPath(Object directoryKey) {
		try (DirectoryStream<Path> descriptors = Files.newDirectoryStream(DESCRIPTORS)) {
			for (Path descriptor : descriptors) {
				BasicFileAttributes attributes;
				try {
					// Follows the descriptor's link: the attributes of the open file itself.
					attributes = Files.readAttributes(descriptor, BasicFileAttributes.class);
				}
				catch (IOException ex) {
					// Closed meanwhile.
					continue;
				}
				if (attributes.isDirectory() && directoryKey.equals(attributes.fileKey())) {
					return descriptor;
				}
			}
		}
		catch (IOException | DirectoryIteratorException ex) {
			// No /proc: the caller reaches the directory by its name.
		}
		return null;
	}

}
