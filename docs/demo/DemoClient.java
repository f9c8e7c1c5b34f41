import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;

/**
 * A minimal presence client for docs/demo/run-demo.sh and run-rooms-demo.sh (JDK HttpClient WebSocket): says hello
 * with a token and a nickname, optionally joins a room with that nickname as its room nickname (watching it), prints
 * what the server sends, pings every 3 s for the given seconds, then says bye.
 * Run: java DemoClient.java ws://127.0.0.1:18080/ws TOKEN NICK SECONDS [ROOM]
 */
public class DemoClient {
  public static void main(String[] a) throws Exception {
    CountDownLatch closed = new CountDownLatch(1);
    WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(a[0]), new WebSocket.Listener() {
      StringBuilder text = new StringBuilder();
      public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
        text.append(data);
        if (last) { System.out.println("< " + text); text.setLength(0); }
        w.request(1);
        return null;
      }
      public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
        System.out.println("closed " + code + " " + reason); closed.countDown(); return null;
      }
    }).join();
    String hello = "{\"type\":\"hello\",\"token\":\"" + a[1] + "\",\"nick\":\"" + a[2] + "\"}";
    System.out.println("> {\"type\":\"hello\",\"token\":\"<" + a[1].length() + " chars>\",\"nick\":\"" + a[2] + "\"}");
    ws.sendText(hello, true);
    if (a.length > 4) {
      String join = "{\"type\":\"join\",\"room\":\"" + a[4] + "\",\"nick\":\"" + a[2] + "\"}";
      System.out.println("> " + join);
      ws.sendText(join, true);
    }
    long end = System.currentTimeMillis() + Long.parseLong(a[3]) * 1000;
    int seq = 0;
    while (System.currentTimeMillis() < end && closed.getCount() > 0) {
      Thread.sleep(3000);
      ws.sendText("{\"type\":\"ping\",\"seq\":" + (++seq) + "}", true);
    }
    ws.sendText("{\"type\":\"bye\"}", true);
    closed.await();
  }
}
