import { render } from "preact";
import { tauriBackend } from "./api";
import { App } from "./App";
import "./styles.css";

render(<App backend={tauriBackend} />, document.getElementById("app")!);
