package io.github.glidesocket.starter.docs;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Compiles a Java snippet of the guide against this module's test class path (the starter, the
 * core, the auto-configuration and Spring Boot), with the imports a reader of the guide is
 * assumed to have added.
 */
public final class SnippetCompiler {

	static final List<String> IMPORTS = List.of("io.github.glidesocket.core.*",
			"io.github.glidesocket.autoconfigure.GlideSocket",
			"io.github.glidesocket.autoconfigure.SocketManagerBuilderCustomizer", "java.io.*", "java.nio.*",
			"java.nio.channels.*", "java.time.*", "java.util.*", "org.newsclub.net.unix.AFUNIXSocket",
			"org.springframework.context.annotation.Bean", "org.springframework.stereotype.Component",
			"org.springframework.data.redis.connection.RedisSocketConfiguration",
			"org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory");

	private final Path outputDirectory;

	public SnippetCompiler(Path outputDirectory) {
		this.outputDirectory = outputDirectory;
	}

	/**
	 * A snippet that is a class's members: fields, methods, nested types.
	 */
	public String compileMembers(String name, String members) {
		return compile(name, "class " + name + " {\n" + members + "\n}\n");
	}

	/**
	 * A snippet that is a method's body, given the named parameters (such as
	 * {@code SocketManager manager}); it may throw any exception.
	 */
	public String compileStatements(String name, String parameters, String statements) {
		return compile(name, "class " + name + " {\nvoid run(" + parameters + ") throws Exception {\n" + statements
				+ "\n}\n}\n");
	}

	/**
	 * Compiles the class; returns the compiler's diagnostics, empty when it compiled.
	 */
	private String compile(String name, String body) {
		StringBuilder source = new StringBuilder("package snippets;\n");
		IMPORTS.forEach((imported) -> source.append("import ").append(imported).append(";\n"));
		source.append(body);
		try {
			Path sourceFile = Files.createDirectories(this.outputDirectory.resolve("src")).resolve(name + ".java");
			Files.writeString(sourceFile, source);
			JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
			StringWriter diagnostics = new StringWriter();
			var files = compiler.getStandardFileManager(null, null, null);
			boolean compiled = compiler.getTask(diagnostics, files, null,
					List.of("-proc:none", "-Xlint:none", "-classpath", classPath(), "-d",
							this.outputDirectory.resolve("classes").toString()),
					null, files.getJavaFileObjects(sourceFile.toFile()))
				.call();
			files.close();
			return compiled ? "" : diagnostics + "\n--- compiled source ---\n" + source;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The test class path: Surefire may start the tests from a jar whose manifest holds it.
	 */
	private static String classPath() throws IOException {
		String surefire = System.getProperty("surefire.test.class.path");
		if (surefire != null && !surefire.isBlank()) {
			return surefire;
		}
		String classPath = System.getProperty("java.class.path");
		String[] entries = classPath.split(File.pathSeparator);
		if (entries.length == 1 && entries[0].endsWith(".jar")) {
			try (JarFile jar = new JarFile(entries[0])) {
				Manifest manifest = jar.getManifest();
				String listed = (manifest != null) ? manifest.getMainAttributes().getValue("Class-Path") : null;
				if (listed != null) {
					return Stream.of(listed.trim().split("\\s+"))
						.map((url) -> Path.of(java.net.URI.create(url)).toString())
						.collect(Collectors.joining(File.pathSeparator));
				}
			}
		}
		return classPath;
	}

}
