package dev.subscriptions.endtoend.operations;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The metric names a PromQL expression selects, read by a small tokenizer: identifiers
 * that are neither functions (followed by {@code (}), aggregation operators nor keywords,
 * outside label matchers ({@code {...}}), range and subquery brackets ({@code [...]}),
 * strings and the label lists of {@code by}, {@code without}, {@code on},
 * {@code ignoring}, {@code group_left} and {@code group_right}.
 */
final class PromQl {

	private static final Set<String> LABEL_LIST_KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
			"group_right");

	private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "atan2", "inf", "nan",
			"sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk",
			"quantile", "limitk", "limit_ratio");

	private final String expression;

	private int position;

	private PromQl(String expression) {
		this.expression = expression;
	}

	/** The metric names {@code expression} selects, sorted. */
	static Set<String> metricNames(String expression) {
		return new PromQl(expression).names();
	}

	private Set<String> names() {
		Set<String> names = new TreeSet<>();
		while (this.position < this.expression.length()) {
			char current = this.expression.charAt(this.position);
			if (current == '"' || current == '\'' || current == '`') {
				skipString(current);
			}
			else if (current == '{') {
				skipTo('}');
			}
			else if (current == '[') {
				skipTo(']');
			}
			else if (current == '#') {
				skipTo('\n');
			}
			else if (Character.isDigit(current) || (current == '.' && nextIsDigit())) {
				skipWhile(PromQl::isNumberPart);
			}
			else if (isIdentifierStart(current)) {
				String identifier = identifier();
				String keyword = identifier.toLowerCase(Locale.ROOT);
				char next = nextNonBlank();
				if (LABEL_LIST_KEYWORDS.contains(keyword)) {
					if (next == '(') {
						skipTo(')');
					}
				}
				else if (next != '(' && !KEYWORDS.contains(keyword)) {
					names.add(identifier);
				}
			}
			else {
				this.position++;
			}
		}
		return names;
	}

	private String identifier() {
		int start = this.position;
		skipWhile(PromQl::isIdentifierPart);
		return this.expression.substring(start, this.position);
	}

	/** The next character that is not blank, without consuming anything but blanks. */
	private char nextNonBlank() {
		skipWhile(Character::isWhitespace);
		return (this.position < this.expression.length()) ? this.expression.charAt(this.position) : 0;
	}

	private boolean nextIsDigit() {
		return this.position + 1 < this.expression.length()
				&& Character.isDigit(this.expression.charAt(this.position + 1));
	}

	/** Skips up to and past {@code end}, jumping over strings in between. */
	private void skipTo(char end) {
		this.position++;
		while (this.position < this.expression.length()) {
			char current = this.expression.charAt(this.position);
			if (current == end) {
				this.position++;
				return;
			}
			if (current == '"' || current == '\'' || current == '`') {
				skipString(current);
			}
			else {
				this.position++;
			}
		}
	}

	private void skipString(char quote) {
		this.position++;
		while (this.position < this.expression.length()) {
			char current = this.expression.charAt(this.position++);
			if (current == '\\' && quote != '`') {
				this.position++;
			}
			else if (current == quote) {
				return;
			}
		}
	}

	private void skipWhile(CharPredicate predicate) {
		while (this.position < this.expression.length() && predicate.test(this.expression.charAt(this.position))) {
			this.position++;
		}
	}

	private static boolean isIdentifierStart(char character) {
		return Character.isLetter(character) || character == '_' || character == ':';
	}

	private static boolean isIdentifierPart(char character) {
		return isIdentifierStart(character) || Character.isDigit(character);
	}

	/** Digits, a decimal point, an exponent, hex digits and duration units. */
	private static boolean isNumberPart(char character) {
		return Character.isLetterOrDigit(character) || character == '.';
	}

	private interface CharPredicate {

		boolean test(char character);

	}

}
