package io.github.glidesocket.websample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Serves a little HTTP on the web server Spring Boot finds on the class path (Tomcat, Jetty or
 * Reactor Netty), put on a managed socket with {@code glide.socket.web.path}.
 */
@SpringBootApplication
public class WebSampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(WebSampleApplication.class, args);
	}

}
