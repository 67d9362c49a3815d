package io.github.glidesocket.autoconfigure;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * A socket path that the JVM's file-name encoding cannot represent (any non-ASCII character in a
 * JVM started under the POSIX locale) stops startup with a message that names the property and
 * the locale to use, not with a bare "Malformed input".
 */
@Timeout(60)
class PathEncodingPropertiesTests {

	@TempDir
	Path directory;

	@Test
	void pathWithCharactersTheFileNameEncodingCannotRepresentFailsNamingThePropertyAndTheLocale() throws Exception {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
				Child.class.getName(), this.directory + "/s\\u00f6k\\u00e9t.sock"));
		ProcessBuilder builder = new ProcessBuilder(command).redirectError(this.directory.resolve("stderr.txt").toFile());
		builder.environment().put("LC_ALL", "POSIX");
		builder.environment().remove("LC_CTYPE");
		builder.environment().remove("LANG");
		Process child = builder.start();
		Map<String, String> result = new LinkedHashMap<>();
		try {
			String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
			assertThat(child.exitValue()).as("exit status; stderr:%n%s", Files.readString(this.directory.resolve("stderr.txt")))
				.isZero();
			for (String line : output.split("\n")) {
				int equals = line.indexOf('=');
				if (equals > 0) {
					result.put(line.substring(0, equals), line.substring(equals + 1));
				}
			}
		}
		finally {
			child.destroyForcibly();
		}
		assumeThat(result.get("fileNameEncoding")).as("the child JVM's file-name encoding under LC_ALL=POSIX")
			.isNotEqualToIgnoringCase("UTF-8");
		assertThat(result).containsEntry("result", InvalidConfigurationPropertyValueException.class.getSimpleName())
			.containsEntry("property", "glide.socket.path");
		assertThat(result.get("message")).contains("file-name encoding (" + result.get("fileNameEncoding") + ")")
			.contains("LC_ALL=C.UTF-8")
			.doesNotContain("Malformed input");
	}

	/**
	 * Resolves the properties with the path given as \\uXXXX escapes, which reach the JVM
	 * intact whatever its locale, and prints the outcome as key=value lines.
	 */
	static final class Child {

		public static void main(String[] args) {
			System.out.println("fileNameEncoding=" + System.getProperty("sun.jnu.encoding"));
			StringBuilder path = new StringBuilder();
			String escaped = args[0];
			for (int i = 0; i < escaped.length(); i++) {
				if (escaped.startsWith("\\u", i)) {
					path.append((char) Integer.parseInt(escaped.substring(i + 2, i + 6), 16));
					i += 5;
				}
				else {
					path.append(escaped.charAt(i));
				}
			}
			GlideSocketProperties properties = new GlideSocketProperties();
			properties.setPath(path.toString());
			try {
				SocketSettings.resolve(properties);
				System.out.println("result=resolved");
			}
			catch (InvalidConfigurationPropertyValueException ex) {
				System.out.println("result=" + ex.getClass().getSimpleName());
				System.out.println("property=" + ex.getName());
				System.out.println("message=" + ex.getMessage());
			}
			catch (RuntimeException ex) {
				System.out.println("result=" + ex.getClass().getSimpleName());
				System.out.println("message=" + ex.getMessage());
			}
			System.out.flush();
		}

	}

}
