package io.github.glidesocket.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.github.glidesocket.core.SocketPathValidationTests.ExternalProcesses;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * A JVM turns file names into bytes with the encoding of the locale it started in. Under the
 * POSIX locale that is ASCII, and a path with any other character cannot be used: the failure
 * says so, with its own reason, instead of a bare "Malformed input".
 */
@Timeout(60)
class FileNameEncodingTests {

	@TempDir
	Path directory;

	@Test
	void getOrCreateWhenPathHasCharactersTheFileNameEncodingCannotRepresentThrowsUnencodable() throws Exception {
		Path work = Files.createDirectory(this.directory.resolve("child"));
		String escaped = this.directory + "/s\\u00f6k\\u00e9t.sock";
		Map<String, String> posix = new HashMap<>();
		posix.put("LC_ALL", "POSIX");
		posix.put("LC_CTYPE", null);
		posix.put("LANG", null);
		Map<String, String> result = ExternalProcesses.runChildJvm(work, false, posix, "try-bind-escaped", escaped);
		assumeThat(result.get("fileNameEncoding")).as("the child JVM's file-name encoding under LC_ALL=POSIX")
			.isNotEqualToIgnoringCase("UTF-8");
		assertThat(result).containsEntry("result", "SocketPathException")
			.containsEntry("reason", "UNENCODABLE")
			.containsEntry("active", "0")
			.containsEntry("snapshots", "0");
		assertThat(result.get("message")).contains("'" + this.directory + "/s")
			.contains("file-name encoding (" + result.get("fileNameEncoding") + ")")
			.contains("LC_ALL=C.UTF-8")
			.doesNotContain("Malformed input");
		assertThat(SocketPathValidationTests.listing(this.directory)).containsExactly("child");
	}

}
