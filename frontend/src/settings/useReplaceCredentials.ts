// Replacing a Meta channel's access token and app secret: the form's state and the request that
// saves them. The form closes and empties once they are saved, and the channel's set-up (which
// says whether both are set) is read again.
import { type QueryKey, useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api, unwrap } from "../api/client";

export function useReplaceCredentials(channelId: string, setupKey: QueryKey) {
  const queries = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [token, setToken] = useState("");
  const [appSecret, setAppSecret] = useState("");
  const replace = useMutation({
    mutationFn: () =>
      unwrap(
        api.PATCH("/api/v1/channels/{channel_id}", {
          params: { path: { channel_id: channelId } },
          body: { secrets: { access_token: token.trim(), app_secret: appSecret.trim() } },
        }),
      ),
    onSuccess: () => {
      setEditing(false);
      setToken("");
      setAppSecret("");
      void queries.invalidateQueries({ queryKey: setupKey });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    replace.mutate();
  };
  const toggle = () => setEditing((v) => !v);
  return { editing, toggle, token, setToken, appSecret, setAppSecret, replace, submit };
}
