package io.github.glidesocket.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Serves an in-memory key-value store to Redis clients ({@code redis-cli -s PATH}) over the
 * managed Unix socket, and lets HTTP callers create and close client objects that hold
 * references to it.
 */
@SpringBootApplication
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
