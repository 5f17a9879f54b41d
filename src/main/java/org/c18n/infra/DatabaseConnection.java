package org.c18n.infra;

/** How to reach PostgreSQL, whichever server it is. */
public record DatabaseConnection(String url, String username, String password) {

    /** Without the password. */
    @Override
    public String toString() {
        return "DatabaseConnection[" + url + ", " + username + "]";
    }
}
