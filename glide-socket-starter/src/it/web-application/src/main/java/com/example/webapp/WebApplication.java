package com.example.webapp;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@SpringBootApplication
@RestController
public class WebApplication {

	@GetMapping("/hello")
	String hello() {
		return "hello from " + ProcessHandle.current().pid();
	}

	public static void main(String[] args) {
		SpringApplication.run(WebApplication.class, args);
	}

}
