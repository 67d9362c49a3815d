package io.github.glidesocket.websample.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The web servers Spring Boot ships, each with the class path a user's build with its starter
 * has: Spring Boot picks the server from it, as it does for users.
 */
enum WebServer {

	TOMCAT("tomcat"),

	JETTY("jetty"),

	REACTOR_NETTY("reactor-netty");

	private final String classPathName;

	WebServer(String classPathName) {
		this.classPathName = classPathName;
	}

	/**
	 * The application's classes and this server's libraries, as the build wrote them.
	 * @return the class path
	 */
	String classPath() {
		Path file = Path.of(requiredProperty("web-sample.class-paths"), this.classPathName + ".txt");
		try {
			return requiredProperty("web-sample.classes") + java.io.File.pathSeparator
					+ Files.readString(file, StandardCharsets.UTF_8).strip();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No class path for " + this + "; run these tests with 'mvn verify'", ex);
		}
	}

	private static String requiredProperty(String name) {
		String value = System.getProperty(name);
		if (value == null) {
			throw new IllegalStateException("System property '" + name + "' is not set; run these tests with 'mvn verify'");
		}
		return value;
	}

}
