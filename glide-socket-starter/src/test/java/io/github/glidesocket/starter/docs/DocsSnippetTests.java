package io.github.glidesocket.starter.docs;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Holds every code block of the README and the guide under {@code docs/} to what it shows, so
 * that what a reader copies works: Java compiles (or, for a listing of an interface, matches its
 * source), properties bind to the starter's properties, dependency XML is word for word what the
 * consumer builds under {@code src/it} use, commands name modules, profiles, tests and script
 * options that exist, Kubernetes manifests parse and systemd units are well formed, and the
 * settings of both name properties that exist. A block of any other kind fails: say how it is
 * checked, or leave it out.
 */
class DocsSnippetTests {

	private static final Guide GUIDE = new Guide(Path.of(".."));

	private static final Path CONSUMER_BUILDS = Path.of("src", "it");

	private static final Path CORE_API = GUIDE.root().resolve("glide-socket-core/src/main/java/io/github/glidesocket/core");

	private static final List<String> OTHER_PROPERTY_PREFIXES = List.of("management.", "spring.", "server.", "logging.");

	@TempDir
	static Path compiled;

	@TestFactory
	Stream<DynamicTest> everyCodeBlockIsChecked() {
		return GUIDE.pages()
			.stream()
			.flatMap((page) -> page.codeBlocks().stream())
			.map((block) -> DynamicTest.dynamicTest(GUIDE.root().relativize(block.file()) + ":" + block.line(),
					() -> check(block)));
	}

	@TestFactory
	Stream<DynamicTest> scriptOptionsInProseExist() {
		CommandChecker commands = new CommandChecker(GUIDE.root(), System.getProperty("project.version"));
		Pattern inlineCode = Pattern.compile("(?<!`)`([^`]+)`(?!`)");
		return GUIDE.pages().stream().map((page) -> DynamicTest.dynamicTest(GUIDE.root().relativize(page.path()).toString(), () -> {
			List<String> problems = new ArrayList<>();
			for (String line : Files.readAllLines(page.path())) {
				Matcher code = inlineCode.matcher(line);
				while (code.find()) {
					problems.addAll(commands.scriptProblems(code.group(1)));
				}
			}
			assertThat(problems).isEmpty();
		}));
	}

	@Test
	void theReadmeAddsTheStarterAsTheSpringBootConsumerDoes() {
		assertThat(xmlBlocks(GUIDE.root().resolve("README.md"))).anySatisfy((xml) -> {
			assertThat(xml).contains("<artifactId>glide-socket-starter</artifactId>");
			assertThat(normalize(pom("starter-application"))).contains(xml);
		});
	}

	@Test
	void theCoreApiPageAddsTheCoreAsThePlainJavaConsumerDoes() {
		assertThat(xmlBlocks(GUIDE.root().resolve("docs/core-api.md"))).anySatisfy((xml) -> {
			assertThat(xml).contains("<artifactId>glide-socket-core</artifactId>");
			assertThat(normalize(pom("core-only"))).contains(xml);
		});
	}

	private static void check(MarkdownFile.CodeBlock block) throws IOException {
		switch (block.language()) {
			case "xml" -> checkDependency(block);
			case "properties" -> checkProperties(block);
			case "java" -> checkJava(block);
			case "shell", "bash", "sh" -> assertThat(new CommandChecker(GUIDE.root(), System.getProperty("project.version"))
				.problems(block.text())).as(block.toString()).isEmpty();
			case "yaml" -> assertThat(KubernetesManifestChecker.problems(block.text())).as(block.toString()).isEmpty();
			case "ini" -> assertThat(SystemdUnitChecker.problems(block.text())).as(block.toString()).isEmpty();
			default -> throw new AssertionError(block + ": a code block must be xml, properties, java, shell, yaml "
					+ "(a Kubernetes manifest) or ini (a systemd unit), "
					+ "so that a test checks it; got '" + block.language() + "'");
		}
	}

	/**
	 * Dependency XML is what a consumer build uses, with this build's group and version.
	 */
	private static void checkDependency(MarkdownFile.CodeBlock block) throws IOException {
		String xml = normalize(block.text());
		assertThat(xml).as(block.toString())
			.contains("<groupId>" + System.getProperty("project.groupId") + "</groupId>")
			.contains("<version>" + System.getProperty("project.version") + "</version>")
			.doesNotContain("<type>");
		assertThat(List.of(normalize(pom("starter-application")), normalize(pom("core-only"))))
			.as("%s: a consumer build under src/it that has this XML word for word", block)
			.anyMatch((pom) -> pom.contains(xml));
	}

	/**
	 * Properties bind to the starter's properties with no key left over; keys of Spring Boot
	 * itself are left to Spring Boot.
	 */
	private static void checkProperties(MarkdownFile.CodeBlock block) throws IOException {
		Properties properties = new Properties();
		properties.load(new StringReader(block.text()));
		Map<String, String> glide = new java.util.HashMap<>();
		properties.forEach((key, value) -> {
			String name = (String) key;
			if (name.startsWith("glide.socket.")) {
				glide.put(name, (String) value);
			}
			else {
				assertThat(OTHER_PROPERTY_PREFIXES).as("%s: %s is not a glide.socket property", block, name)
					.anyMatch(name::startsWith);
			}
		});
		assertThat(GlideSocketSettings.ofProperties(glide)).as(block.toString()).isEmpty();
	}

	private static void checkJava(MarkdownFile.CodeBlock block) throws IOException {
		String check = block.check();
		assertThat(check).as("%s: name how the snippet is checked in a <!-- check: java-... --> line before it", block)
			.isNotNull();
		String name = "Snippet_" + block.file().getFileName().toString().replaceAll("\\W", "_") + "_" + block.line();
		SnippetCompiler compiler = new SnippetCompiler(compiled);
		if (check.equals("java-members")) {
			assertThat(compiler.compileMembers(name, block.text())).as(block.toString()).isEmpty();
		}
		else if (check.startsWith("java-statements")) {
			String parameters = check.substring("java-statements".length()).strip();
			assertThat(compiler.compileStatements(name, parameters, block.text())).as(block.toString()).isEmpty();
		}
		else if (check.equals("java-api")) {
			assertThat(apiProblems(block.text())).as(block.toString()).isEmpty();
		}
		else {
			throw new AssertionError(block + ": unknown check '" + check + "'");
		}
	}

	/**
	 * A listing of public interfaces: each type and each method, as declared in the core's API
	 * package (comments aside).
	 */
	private static List<String> apiProblems(String listing) throws IOException {
		List<String> problems = new ArrayList<>();
		String source = null;
		for (String line : listing.split("\n")) {
			String declaration = line.replaceAll("//.*$", "").strip();
			Matcher type = Pattern.compile("^(?:public )?interface (\\w+)(?: extends [\\w, ]+)? \\{$").matcher(declaration);
			if (type.matches()) {
				Path file = CORE_API.resolve(type.group(1) + ".java");
				source = Files.isRegularFile(file) ? Files.readString(file).replaceAll("\\s+", " ") : null;
				if (source == null) {
					problems.add("no type " + type.group(1) + " in the core's API package");
				}
				else if (!source.contains(declaration.replaceAll("\\s*\\{$", ""))) {
					problems.add("not declared so: " + declaration);
				}
			}
			else if (!declaration.isEmpty() && !declaration.equals("}") && source != null) {
				String member = declaration.replaceAll("\\s*(\\{\\s*\\}|;)$", "").replaceAll("\\s+", " ");
				if (!source.contains(member)) {
					problems.add("not declared so: " + member);
				}
			}
		}
		return problems;
	}

	private static List<String> xmlBlocks(Path page) {
		try {
			return MarkdownFile.read(page).codeBlocks().stream()
				.filter((block) -> block.language().equals("xml"))
				.map((block) -> normalize(block.text()))
				.toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String pom(String project) throws IOException {
		return Files.readString(CONSUMER_BUILDS.resolve(project).resolve("pom.xml"));
	}

	private static String normalize(String xml) {
		return xml.strip().replaceAll("\\s+", " ").replaceAll("> <", "><");
	}

}
