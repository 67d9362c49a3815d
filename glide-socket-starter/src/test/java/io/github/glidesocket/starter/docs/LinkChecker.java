package io.github.glidesocket.starter.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the links of a guide that lead nowhere: a relative link to a file that does not exist
 * or lies outside the repository, or to an anchor that no heading of the target page has.
 * Links with a scheme ({@code https:}, {@code mailto:}) are not followed.
 */
public final class LinkChecker {

	private final Guide guide;

	private final Map<Path, Set<String>> anchors = new HashMap<>();

	public LinkChecker(Guide guide) {
		this.guide = guide;
	}

	/**
	 * The broken links of one page, each described with its line.
	 */
	public List<String> brokenLinks(MarkdownFile page) {
		List<String> broken = new ArrayList<>();
		for (MarkdownFile.Link link : page.links()) {
			String problem = problem(page.path(), link.target());
			if (problem != null) {
				broken.add(link + ": " + problem);
			}
		}
		return broken;
	}

	private String problem(Path page, String target) {
		if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
			return null;
		}
		int hash = target.indexOf('#');
		String file = (hash < 0) ? target : target.substring(0, hash);
		String anchor = (hash < 0) ? null : target.substring(hash + 1);
		if (file.startsWith("/")) {
			return "absolute links break outside GitHub; link relative to the page";
		}
		Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
		if (!resolved.startsWith(this.guide.root())) {
			return "leads outside the repository";
		}
		if (!Files.exists(resolved)) {
			return "no such file " + this.guide.root().relativize(resolved);
		}
		if (anchor == null) {
			return null;
		}
		if (!resolved.getFileName().toString().endsWith(".md") || Files.isDirectory(resolved)) {
			return "an anchor into a file that is not a Markdown page";
		}
		Set<String> headings = this.anchors.computeIfAbsent(resolved, LinkChecker::readAnchors);
		return headings.contains(anchor) ? null
				: "no heading with anchor #" + anchor + " in " + this.guide.root().relativize(resolved);
	}

	private static Set<String> readAnchors(Path page) {
		try {
			return MarkdownFile.read(page).anchors();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
