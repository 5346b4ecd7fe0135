import "@mantine/core/styles.css";
import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter } from "react-router-dom";
import { App } from "./App";
import { browserLanguage, setupI18n } from "./i18n";
import { UpdateNotice } from "./pwa/UpdateNotice";
import { watchForUpdates } from "./pwa/updates";
import { cssVariablesResolver, theme } from "./theme";

setupI18n(browserLanguage(navigator.languages));
const updates = watchForUpdates(); // the installable app: its service worker and new versions

const queries = new QueryClient({
  defaultOptions: { queries: { staleTime: 15_000, retry: 1, refetchOnWindowFocus: false } },
});

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver}>
        <QueryClientProvider client={queries}>
          <BrowserRouter>
            <App />
          </BrowserRouter>
          <UpdateNotice watch={updates} />
        </QueryClientProvider>
      </MantineProvider>
    </StrictMode>,
  );
}
