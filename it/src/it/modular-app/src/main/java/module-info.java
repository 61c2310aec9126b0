module com.example.modular {
    requires dev.simmer;
}
