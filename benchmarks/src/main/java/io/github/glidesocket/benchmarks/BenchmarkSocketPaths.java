package io.github.glidesocket.benchmarks;

import java.nio.file.Path;

/**
 * Socket paths for the benchmarks. They sit directly in the temporary directory, so a design
 * that checks the parent directory finds it, and stay well under the 106-byte limit.
 */
final class BenchmarkSocketPaths {

	private BenchmarkSocketPaths() {
	}

	static String of(String name) {
		return Path.of(System.getProperty("java.io.tmpdir"), "glide-bench-" + name + ".sock").toString();
	}

}
