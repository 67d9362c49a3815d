package io.github.glidesocket.sample;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Limits of the sample's key-value protocol.
 */
@ConfigurationProperties("sample.resp")
public class SampleProperties {

	/**
	 * Largest bulk string a request may declare, in bytes; a larger one closes the connection.
	 */
	private int maxBulkLength = 64 * 1024 * 1024;

	/**
	 * Most elements a request may declare; more closes the connection.
	 */
	private int maxMultibulkLength = 1024 * 1024;

	public int getMaxBulkLength() {
		return this.maxBulkLength;
	}

	public void setMaxBulkLength(int maxBulkLength) {
		this.maxBulkLength = maxBulkLength;
	}

	public int getMaxMultibulkLength() {
		return this.maxMultibulkLength;
	}

	public void setMaxMultibulkLength(int maxMultibulkLength) {
		this.maxMultibulkLength = maxMultibulkLength;
	}

}
