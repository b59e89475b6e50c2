package dev.hearth.kernel.webhooks;

/**
 * How one attempt to deliver ended.
 *
 * @param ok the receiver took it (HTTP 2xx, a shell hook's exit 0)
 * @param status the HTTP status or exit code; 0 when there was no answer
 * @param error what went wrong, for the delivery log; never the body or the secret
 */
record Attempt(boolean ok, int status, String error) {

  static Attempt failed(String error) {
    return new Attempt(false, 0, error);
  }
}
