import dev.simmer.Async;
import java.time.Duration;
import java.util.List;

public class Hello {
    public static void main(String[] args) throws Exception {
        List<String> users = Async.run(() -> Async.gather(
                () -> fetchUser(1), () -> fetchUser(2), () -> fetchUser(3)));
        System.out.println(users);               // [User 1, User 2, User 3] after 1 s, not 3
    }

    static String fetchUser(int id) {
        Async.sleep(Duration.ofSeconds(1));      // suspends this task; the others run
        return "User " + id;
    }
}
