package dev.sluice.goldens;

/** A case file that this runner cannot read: a bug in the case, not an error Spark raised. */
final class CaseError extends RuntimeException {
  CaseError(String message) {
    super(message);
  }

  CaseError(String message, Throwable cause) {
    super(message, cause);
  }
}
